/** The importable example flows (Import → Examples): each explains itself on the canvas. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NODE_RED_PACKAGE_DIR, PACKAGE_ROOT } from '../../dev/packageRoot';

const files = readdirSync(path.join(PACKAGE_ROOT, 'examples')).filter((f) => f.endsWith('.json'));

describe.each(files)('example %s', (file) => {
	const flow = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'examples', file), 'utf8')) as Array<
		Record<string, unknown>
	>;

	it('has a "How to use" comment on its tab that starts with entering the cookies', () => {
		const tab = flow.find((n) => n.type === 'tab');
		const notes = flow.filter((n) => n.type === 'comment' && n.name === 'How to use');
		expect(notes).toHaveLength(1);
		expect(notes[0].z).toBe(tab?.id);
		expect(String(notes[0].info)).toMatch(
			/^1\. Open the My Bilibili account node(:| and) enter your cookies/,
		);
	});

	it('ships in the Node-RED package, unchanged', () => {
		expect(readFileSync(path.join(NODE_RED_PACKAGE_DIR, 'examples', file), 'utf8')).toBe(
			readFileSync(path.join(PACKAGE_ROOT, 'examples', file), 'utf8'),
		);
	});
});
