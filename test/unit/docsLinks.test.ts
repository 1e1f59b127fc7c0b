/**
 * The documentation's links as a reader follows them on GitHub: every relative link (and #anchor)
 * in the README, docs/, CONTRIBUTING.md, CHANGELOG.md and the npm-page READMEs reaches a file of this
 * repository and a heading that exists; the nodes' documentation links (n8n codex files, the
 * credential) reach their engine's page; headings that released versions linked to are still there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BilibiliApi } from '../../credentials/BilibiliApi.credentials';

const ROOT = path.join(__dirname, '..', '..');
const REPO_URL = 'https://github.com/n8n-nodes-bilibili/n8n-nodes-bilibili';
const BLOB = `${REPO_URL}/blob/main/`;

const DOCS = [
	'README.md',
	'CONTRIBUTING.md',
	'CHANGELOG.md',
	...readdirSync(path.join(ROOT, 'docs'))
		.filter((f) => f.endsWith('.md'))
		.map((f) => `docs/${f}`),
	...readdirSync(path.join(ROOT, 'packaging')).map((d) => `packaging/${d}/README.md`),
].filter((f) => existsSync(path.join(ROOT, f)));

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The text a reader sees as prose: fenced code blocks blanked (their `#` lines are no headings). */
function prose(markdown: string): string {
	return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingSlugs(markdown: string): Set<string> {
	const slugs = new Set<string>();
	const seen = new Map<string, number>();
	for (const [, raw] of prose(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
		const text = raw
			.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
			.replace(/`([^`]*)`/g, '$1')
			.replace(/<[^>]+>/g, '');
		const base = text
			.toLowerCase()
			.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
			.replace(/ /g, '-');
		const n = seen.get(base) ?? 0;
		seen.set(base, n + 1);
		slugs.add(n === 0 ? base : `${base}-${n}`);
	}
	return slugs;
}

/** Every link target of a markdown file: inline links and reference definitions, outside code. */
function linkTargets(markdown: string): string[] {
	const text = prose(markdown).replace(/`[^`\n]*`/g, '');
	const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
	const defined = [...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]);
	return [...inline, ...defined];
}

/** What is wrong with one target seen from `file`, or undefined when it resolves. */
function problem(file: string, target: string): string | undefined {
	let local = target;
	if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
		// Absolute links into this repository's main branch are checked like relative ones.
		if (!target.startsWith(BLOB) && !target.startsWith(`${REPO_URL}/tree/main/`)) return undefined;
		local = `/${target.replace(BLOB, '').replace(`${REPO_URL}/tree/main/`, '')}`;
	}
	const [pathPart, anchor] = local.split('#', 2) as [string, string | undefined];
	const resolved =
		pathPart === ''
			? path.join(ROOT, file)
			: pathPart.startsWith('/')
				? path.join(ROOT, decodeURIComponent(pathPart))
				: path.join(ROOT, path.dirname(file), decodeURIComponent(pathPart));
	const inRepo = path.relative(ROOT, resolved);
	if (inRepo.startsWith('..') || path.isAbsolute(inRepo)) return 'leaves the repository';
	if (!existsSync(resolved)) return 'no such file';
	if (anchor === undefined) return undefined;
	if (statSync(resolved).isDirectory() || !resolved.endsWith('.md'))
		return 'an anchor on a file that is not markdown';
	return headingSlugs(readFileSync(resolved, 'utf8')).has(anchor)
		? undefined
		: `no heading #${anchor} in ${inRepo}`;
}

describe('documentation links', () => {
	it('finds the documentation files', () => {
		expect(DOCS).toEqual(
			expect.arrayContaining([
				'README.md',
				'CONTRIBUTING.md',
				'CHANGELOG.md',
				'docs/node-red.md',
				'docs/n8n.md',
				'docs/login-and-session.md',
				'docs/troubleshooting.md',
				'docs/client.md',
				'docs/simulator.md',
				'docs/performance.md',
				'packaging/n8n/README.md',
				'packaging/node-red/README.md',
			]),
		);
	});

	it.each(DOCS)('every relative link and anchor in %s resolves inside the repository', (file) => {
		const targets = linkTargets(read(file));
		const broken = targets
			.map((target) => ({ target, problem: problem(file, target) }))
			.filter((t) => t.problem);
		expect(broken).toEqual([]);
	});

	it.each(DOCS)('%s names no path outside the repository, linked or not', (file) => {
		// `../shared/api-docs/…` in a code span is as unreachable for a reader as a link to it.
		const paths = [...prose(read(file)).matchAll(/(?:^|[\s`(])((?:\.\.\/)+[^\s`)]*)/g)].map(
			(m) => m[1],
		);
		const outside = paths.filter((p) => {
			const inRepo = path.relative(ROOT, path.join(ROOT, path.dirname(file), p));
			return inRepo.startsWith('..') || path.isAbsolute(inRepo);
		});
		expect(outside).toEqual([]);
	});

	it('tells a broken link, an anchor that is not there and a link out of the repository apart', () => {
		expect(problem('README.md', '../shared/api-docs/README.md')).toBe('leaves the repository');
		expect(problem('docs/n8n.md', '../../shared/api-docs/cookie-refresh.md')).toBe(
			'leaves the repository',
		);
		expect(problem('docs/n8n.md', 'nope.md')).toBe('no such file');
		expect(problem('docs/n8n.md', '#no-such-heading')).toBe(
			'no heading #no-such-heading in docs/n8n.md',
		);
		expect(problem('README.md', 'docs/n8n.md#bilibili-charge')).toBeUndefined();
		expect(problem('README.md', `${BLOB}docs/n8n.md#nothing`)).toBe(
			'no heading #nothing in docs/n8n.md',
		);
	});

	it('makes anchors as GitHub does', () => {
		const slugs = headingSlugs(
			[
				'## Credential: Bilibili API',
				"## Cookies by hand, and why a browser's cookies die",
				'### `bilibili-config` (the **account**)',
				'## Queue mode',
				'## Queue mode',
				'```sh',
				'# not a heading',
				'```',
			].join('\n'),
		);
		expect([...slugs]).toEqual([
			'credential-bilibili-api',
			'cookies-by-hand-and-why-a-browsers-cookies-die',
			'bilibili-config-the-account',
			'queue-mode',
			'queue-mode-1',
		]);
	});
});

describe("the nodes' documentation links", () => {
	const codexFiles = readdirSync(path.join(ROOT, 'nodes'))
		.map((dir) => `nodes/${dir}/${dir}.node.json`)
		.filter((f) => existsSync(path.join(ROOT, f)));

	const urls = [
		...codexFiles.flatMap((file) => {
			const { resources } = JSON.parse(read(file)) as {
				resources: Record<string, Array<{ url: string }>>;
			};
			return Object.entries(resources).flatMap(([kind, list]) =>
				list.map(({ url }) => [`${file} ${kind}`, url] as const),
			);
		}),
		['credential documentationUrl', new BilibiliApi().documentationUrl] as const,
	];

	it('has a codex file for every n8n node', () => {
		expect(codexFiles).toHaveLength(6);
	});

	it.each(urls)('%s points at an existing heading of the n8n page on main: %s', (_what, url) => {
		expect(url.startsWith(`${BLOB}docs/n8n.md#`)).toBe(true);
		expect(problem('README.md', url)).toBeUndefined();
	});

	it("each node's primary documentation is its own section", () => {
		for (const file of codexFiles) {
			const { node, resources } = JSON.parse(read(file)) as {
				node: string;
				resources: { primaryDocumentation: Array<{ url: string }> };
			};
			const words = node
				.replace('n8n-nodes-bilibili.', '')
				.replace(/([a-z])([A-Z])/g, '$1-$2')
				.toLowerCase();
			expect(resources.primaryDocumentation[0].url).toBe(`${BLOB}docs/n8n.md#${words}`);
		}
	});
});

describe('the README', () => {
	const readme = read('README.md');

	it('stays short: at most 200 lines', () => {
		expect(readme.split('\n').length).toBeLessThanOrEqual(200);
	});

	// Released versions' codex files, credential and example flows link to these README headings.
	it.each([
		'getting-your-cookies',
		'risk-control',
		'bilibili-charge',
		'bilibili-qr-pay-trigger',
		'bilibili-remark',
		'bilibili-remark-trigger',
		'bilibili-account',
		'bilibili-customer-service',
	])('keeps the heading #%s that published versions link to, leading onward', (anchor) => {
		expect(headingSlugs(readme).has(anchor)).toBe(true);
		const after = readme.split('\n');
		const at = after.findIndex((line) => /^#+ /.test(line) && headingSlugs(line).has(anchor));
		const section = after.slice(at + 1, at + 4).join('\n');
		expect(linkTargets(section).length).toBeGreaterThan(0);
	});

	it('gives the exact set-up and test commands .ci/run runs', () => {
		const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1]);
		const commands = blocks.flatMap((b) =>
			b.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()),
		);
		const ci = read('.ci/run');
		for (const command of [
			'npm ci',
			'npm run lint',
			'npm run scan',
			'npm test',
			'npm run test:engines',
		]) {
			expect(commands).toContain(command);
			expect(ci).toContain(command);
		}
		expect(commands.some((c) => c.startsWith('command -v chromium'))).toBe(true);
		expect(commands.some((c) => c.startsWith('command -v redis-server'))).toBe(true);
		// The system packages a clean machine needs, installed by the same line in both places.
		for (const install of commands.filter((c) => c.startsWith('command -v ')))
			expect(ci).toContain(install);
	});
});
