/**
 * What the three assembled packages (npm run build → build/) carry besides the code: the version of
 * the repository's package.json (one release, one version), and the licence notices of the code
 * esbuild bundles into the two that ship it (the Node-RED package gets it from the client package).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
	CLIENT_PACKAGE_DIR,
	N8N_PACKAGE_DIR,
	NODE_RED_PACKAGE_DIR,
	PACKAGE_ROOT,
} from '../../dev/packageRoot';

const root = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
	version: string;
};

/** The first lines of a bundled dependency's own licence file, as npm installed it. */
function licenceOpening(name: string, file: string): string {
	const text = readFileSync(path.join(PACKAGE_ROOT, 'node_modules', name, file), 'utf8');
	return text
		.replace(/^```\s*$/gm, '')
		.trim()
		.split('\n')
		.slice(0, 4)
		.join('\n');
}

it.each([
	['n8n-nodes-bilibili', N8N_PACKAGE_DIR],
	['@n8n-nodes-bilibili/client', CLIENT_PACKAGE_DIR],
	['@n8n-nodes-bilibili/node-red-bilibili', NODE_RED_PACKAGE_DIR],
])('the assembled package %s takes the repository version', (name, dir) => {
	const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
	expect(manifest).toMatchObject({ name, version: root.version });
});

describe.each([
	['n8n-nodes-bilibili', N8N_PACKAGE_DIR],
	['@n8n-nodes-bilibili/client', CLIENT_PACKAGE_DIR],
])('the assembled package %s', (_name, dir) => {
	it('ships the bundled QR encoder with the MIT notices of qrcode and dijkstrajs', () => {
		expect(existsSync(path.join(dir, 'dist/client/vendor/qrcode.js'))).toBe(true);
		const notices = readFileSync(path.join(dir, 'THIRD_PARTY_NOTICES.md'), 'utf8');
		expect(notices).toContain(licenceOpening('qrcode', 'license'));
		expect(notices).toContain(licenceOpening('dijkstrajs', 'LICENSE.md'));
		expect(notices).toContain('Copyright (c) 2012 Ryan Day');
		expect(notices).toContain('Wyatt Baldwin');
		expect(notices.match(/THE SOFTWARE IS PROVIDED "AS IS"/g)).toHaveLength(2);
	});

	it('puts the notices into the tarball npm publishes', () => {
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: dir,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'ignore'],
			}),
		) as Array<{ files: Array<{ path: string }> }>;
		const files = packed.files.map((f) => f.path);
		expect(files).toEqual(
			expect.arrayContaining([
				'THIRD_PARTY_NOTICES.md',
				'LICENSE',
				'README.md',
				'dist/client/vendor/qrcode.js',
			]),
		);
	});
});
