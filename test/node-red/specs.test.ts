/**
 * Each Node-RED node is declared once (node-red/specs): every field, operation and option it declares
 * has its label in both languages, every msg property it reads is documented in both help pages, and
 * the client's operation table is what both faces offer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { n8nOperations, nodeRedOperations, OPERATIONS } from '../../client/operations';
import { operationsOf } from '../../node-red/fields';
import { NODE_SPECS } from '../../node-red/specs';
import { ACCOUNT_OPERATIONS } from '../../nodes/BilibiliAccount/v1/operations';
import { CHARGE_OPERATIONS } from '../../nodes/BilibiliCharge/v1/operations';
import { CUSTOMER_SERVICE_OPERATIONS } from '../../nodes/BilibiliCustomerService/v1/operations';
import { REMARK_OPERATIONS } from '../../nodes/BilibiliRemark/v1/operations';

const LOCALES = path.join(__dirname, '../../node-red/locales');
const LANGS = ['en-US', 'zh-CN'];
type Catalogue = Record<string, Record<string, string> | string>;
const catalogue = (lang: string, type: string) =>
	(
		JSON.parse(readFileSync(path.join(LOCALES, lang, `${type}.json`), 'utf8')) as Record<
			string,
			Catalogue
		>
	)[type];
const help = (lang: string, type: string) =>
	readFileSync(path.join(LOCALES, lang, `${type}.html`), 'utf8');
/** The property names a help page documents (`<dt>name <span class="property-type">`). */
const documented = (html: string) =>
	[...html.matchAll(/<dt[^>]*>\s*([\w.]+)\s*<span/g)].map((m) => m[1]);

describe.each(NODE_SPECS.map((spec) => [spec.type, spec] as const))('%s', (type, spec) => {
	it.each(LANGS)('%s: a label for every field, operation and option', (lang) => {
		const texts = catalogue(lang, type);
		const label = texts.label as Record<string, string>;
		const wanted = Object.keys(spec.fields).filter((k) => spec.fields[k].editor !== false);
		wanted.push('name', ...(spec.credentials ?? []));
		if (spec.category !== 'config') wanted.push('account');
		const missing = wanted.filter((k) => !label?.[k]);
		if (spec.area) {
			missing.push(
				'operation',
				...[...operationsOf(spec), 'msg']
					.filter((op) => !(texts.operation as Record<string, string>)?.[op])
					.map((op) => `operation.${op}`),
			);
			if (!label?.operation) missing.push('label.operation');
		}
		for (const field of Object.values(spec.fields))
			if (field.type === 'select')
				for (const option of field.options)
					if (!(texts.option as Record<string, string>)?.[option]) missing.push(`option.${option}`);
		expect(typeof texts.paletteLabel).toBe('string');
		expect(missing.filter((m) => m !== 'operation' || !label?.operation)).toEqual([]);
	});

	it.each(LANGS)('%s: the help documents every msg property the node reads', (lang) => {
		const props = documented(help(lang, type));
		expect(props.length).toBeGreaterThan(0);
		const read = Object.entries(spec.fields)
			.filter(([, field]) => field.msg !== false)
			.map(([key, field]) => field.msg || key);
		if (spec.area) read.push('operation');
		expect(read.filter((p) => !props.includes(p))).toEqual([]);
	});

	it.each(LANGS)('%s: the help explains every editor-only field by its label', (lang) => {
		const label = catalogue(lang, type).label as Record<string, string>;
		const page = help(lang, type);
		const unexplained = Object.entries(spec.fields)
			.filter(([, field]) => field.msg === false && field.editor !== false)
			// The label as the dialog shows it, less a trailing "(unit, range)".
			.map(([key]) => label[key].replace(/\s*\(.*\)$/, ''))
			.filter((text) => !page.includes(text));
		expect(unexplained).toEqual([]);
	});
});

describe('one operation vocabulary', () => {
	it('the n8n nodes offer every operation of the client table, under their saved names', () => {
		const offered = {
			charge: CHARGE_OPERATIONS,
			remarks: REMARK_OPERATIONS,
			account: ACCOUNT_OPERATIONS,
			customerService: CUSTOMER_SERVICE_OPERATIONS,
		};
		for (const area of Object.keys(OPERATIONS) as Array<keyof typeof OPERATIONS>) {
			const table = offered[area];
			expect([area, Object.keys(table)]).toEqual([area, n8nOperations(area)]);
			for (const [key, entry] of Object.entries(table)) expect(entry.value).toBe(key);
		}
	});

	it('the Node-RED action nodes offer the same operations (bar the ones with a node of their own)', () => {
		const areas = NODE_SPECS.filter((s) => s.area).map((s) => [s.area, operationsOf(s)]);
		expect(areas).toEqual(
			(['charge', 'remarks', 'account', 'customerService'] as const).map((a) => [
				a,
				nodeRedOperations(a),
			]),
		);
		expect(nodeRedOperations('charge')).not.toContain('waitForQrPayment');
		expect(n8nOperations('remarks')).toEqual(['getMany', 'get', 'reply']);
	});
});
