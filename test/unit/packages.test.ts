/**
 * The three packages as gulp assembles them (npm run build): one version, the dependencies each
 * declares, and what their built code loads. The n8n package loads nothing outside itself but
 * n8n-workflow; the Node-RED package only the client package; the client its declared dependencies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import {
	CLIENT_PACKAGE_DIR,
	N8N_PACKAGE_DIR,
	NODE_RED_PACKAGE_DIR,
	PACKAGE_ROOT,
} from '../../dev/packageRoot';

const manifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
const root = manifest(PACKAGE_ROOT);

/** Every package name the package's .js files require, outside the package itself. */
function loads(dir: string): string[] {
	const found = new Set<string>();
	const walk = (d: string) => {
		for (const e of readdirSync(d, { withFileTypes: true })) {
			const file = path.join(d, e.name);
			if (e.isDirectory()) walk(file);
			else if (file.endsWith('.js'))
				for (const [, spec] of readFileSync(file, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g))
					if (!spec.startsWith('.') && !spec.startsWith('node:') && !builtinModules.includes(spec))
						found.add(
							spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0],
						);
		}
	};
	walk(path.join(dir, 'dist'));
	return [...found].sort();
}

it('every package has the repository version; the Node-RED package depends on the client at it', () => {
	for (const dir of [N8N_PACKAGE_DIR, CLIENT_PACKAGE_DIR, NODE_RED_PACKAGE_DIR])
		expect(manifest(dir).version).toBe(root.version);
	expect(manifest(NODE_RED_PACKAGE_DIR).dependencies).toEqual({
		'@n8n-nodes-bilibili/client': root.version,
	});
	expect(manifest(N8N_PACKAGE_DIR).dependencies).toBeUndefined();
});

it('the client package declares axios and the proxy agents, at the ranges the repository tests, and has both commands', () => {
	const client = manifest(CLIENT_PACKAGE_DIR);
	expect(client.name).toBe('@n8n-nodes-bilibili/client');
	for (const [name, range] of Object.entries(client.dependencies))
		expect(root.devDependencies[name]).toBe(range);
	expect(Object.keys(client.bin).sort()).toEqual(['bilibili-doctor', 'bilibili-login']);
});

it('each package loads only what it declares', () => {
	expect(loads(N8N_PACKAGE_DIR)).toEqual(['n8n-workflow']);
	expect(loads(NODE_RED_PACKAGE_DIR)).toEqual(['@n8n-nodes-bilibili/client']);
	expect(loads(CLIENT_PACKAGE_DIR)).toEqual(
		Object.keys(manifest(CLIENT_PACKAGE_DIR).dependencies).sort(),
	);
});
