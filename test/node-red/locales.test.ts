/** Every status text a node shows comes from its catalogue, in both languages, with the same placeholders. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const LOCALES = path.join(__dirname, '../../node-red/locales');
const SOURCES = path.join(__dirname, '../../node-red');
const read = (lang: string, file: string) =>
	JSON.parse(readFileSync(path.join(LOCALES, lang, file), 'utf8')) as Record<
		string,
		Record<string, Record<string, string>>
	>;
const placeholders = (text: string) => [...text.matchAll(/__(\w+)__/g)].map((m) => m[1]).sort();

describe('Node-RED catalogues', () => {
	const files = readdirSync(path.join(LOCALES, 'en-US')).filter((f) => f.endsWith('.json'));

	it.each(files)('%s: zh-CN has every en-US text, with the same placeholders', (file) => {
		const type = file.replace(/\.json$/, '');
		const en = read('en-US', file)[type];
		const zh = read('zh-CN', file)[type];
		for (const block of Object.keys(en)) {
			// A block is a group of texts (label, operation, status) or one text (paletteLabel).
			if (typeof en[block] === 'string') {
				expect(typeof zh[block]).toBe('string');
				continue;
			}
			expect(Object.keys(zh[block] ?? {}).sort()).toEqual(Object.keys(en[block]).sort());
			for (const key of Object.keys(en[block]))
				expect(placeholders(zh[block][key])).toEqual(placeholders(en[block][key]));
		}
	});

	it('every status key a node uses is in its catalogue', () => {
		const used: Array<[string, string]> = [];
		for (const file of readdirSync(SOURCES).filter((f) => f.endsWith('.ts'))) {
			const source = readFileSync(path.join(SOURCES, file), 'utf8');
			for (const m of source.matchAll(/\bt\('(\w+)'/g)) used.push([file, m[1]]);
		}
		expect(used.length).toBeGreaterThan(10);
		const actionTypes = [
			'bilibili-charge',
			'bilibili-remark',
			'bilibili-account',
			'bilibili-customer-service',
		];
		for (const [file, key] of used) {
			// The session keeper logs from the account's catalogue, "session" block.
			const block = file === 'sessionKeeper.ts' ? 'session' : 'status';
			const types =
				file === 'action.ts'
					? actionTypes
					: file === 'sessionKeeper.ts'
						? ['bilibili-config']
						: [file.replace(/\.ts$/, '')];
			for (const type of types)
				expect([type, key, read('en-US', `${type}.json`)[type][block]?.[key]]).toEqual([
					type,
					key,
					expect.any(String),
				]);
		}
	});
});
