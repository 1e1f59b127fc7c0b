import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The package root, from the sources (dev/) or the build (dist/dev/). */
export const PACKAGE_ROOT = ((): string => {
	for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const pkg = path.join(dir, 'package.json');
		if (
			existsSync(pkg) &&
			(JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'n8n-nodes-bilibili'
		)
			return dir;
	}
	throw new Error('package root not found');
})();

/** The publishable packages, as gulp assembles them (npm run build). */
export const N8N_PACKAGE_DIR = path.join(PACKAGE_ROOT, 'build', 'n8n-nodes-bilibili');
export const NODE_RED_PACKAGE_DIR = path.join(PACKAGE_ROOT, 'build', 'node-red-bilibili');
/** @n8n-nodes-bilibili/client, which the Node-RED package depends on (not on the registry in tests). */
export const CLIENT_PACKAGE_DIR = path.join(PACKAGE_ROOT, 'build', 'client');
