/**
 * n8n's verification scan, run the way n8n runs it: `analyzePackage` from @n8n/scan-community-package
 * on the unpacked `npm pack` tarball of build/n8n-nodes-bilibili (every .js, .ts and .json file), and
 * on this repository as the source leg (package.json, nodes/, credentials/). Exits non-zero on any error.
 * Run by `npm run scan` after the build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = path.join(root, 'build', 'n8n-nodes-bilibili');
const work = mkdtempSync(path.join(tmpdir(), 'bilibili-scan-'));
let failed = false;
try {
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: pkgDir,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop();
	const unpacked = path.join(work, 'package');
	execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work]);
	const manifest = JSON.parse(readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
	const deps = Object.keys(manifest.dependencies ?? {});
	console.log(`${tarball}: dependencies ${deps.length ? deps.join(', ') : '(none)'}`);
	if (deps.length) failed = true;
	for (const [label, dir, patterns] of [
		['tarball', unpacked, undefined],
		['source', root, SOURCE_FILE_PATTERNS],
	]) {
		const result = await analyzePackage(dir, patterns);
		console.log(`n8n scanner (${label}): ${result.passed ? '0 errors' : result.message}`);
		if (result.details) console.log(result.details);
		if (!result.passed) failed = true;
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
