/**
 * After tsc: copies what tsc does not (the icons, n8n codex files, Node-RED .html files and locales),
 * bundles the QR encoder, and assembles the three publishable packages:
 *   build/n8n-nodes-bilibili   the n8n nodes, the credential and the client core; no dependencies
 *   build/client               @n8n-nodes-bilibili/client: the typed client on axios, bilibili-login
 *                              and bilibili-doctor
 *   build/node-red-bilibili    the Node-RED nodes; depends on the client package of the same version
 * Each gets its own package.json, README, LICENSE and THIRD_PARTY_NOTICES.md (the licences of the code
 * bundled into dist), and is what `npm pack` / `npm publish` take.
 * One release, one version: every package takes the repository's.
 */
const fs = require('node:fs');
const path = require('node:path');
const { src, dest, series } = require('gulp');

const ROOT = __dirname;
const BUILD = path.join(ROOT, 'build');
const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
/** Fields both published manifests take from the repository's package.json. */
const SHARED = ['version', 'license', 'author', 'homepage', 'repository', 'bugs', 'engines'];

function copyAssets() {
	return src(['icons/*.svg', 'nodes/**/*.node.json', 'node-red/**/locales/**/*.{json,html}'], {
		base: '.',
		allowEmpty: true,
		encoding: false,
	}).pipe(dest('dist'));
}

/** One icon per theme for every node of both packages: Node-RED looks for it in an icons folder beside its nodes. */
async function copyNodeRedIcon() {
	fs.mkdirSync(path.join(ROOT, 'dist/node-red/icons'), { recursive: true });
	fs.copyFileSync(
		path.join(ROOT, 'icons/bilibili.svg'),
		path.join(ROOT, 'dist/node-red/icons/bilibili.svg'),
	);
}

/** The Node-RED editor files, rendered from each node's declaration (node-red/specs) as compiled by tsc. */
async function renderNodeRedEditors() {
	const { editorFiles } = require('./dist/node-red/specs/index.js');
	for (const [type, html] of Object.entries(editorFiles()))
		fs.writeFileSync(path.join(ROOT, 'dist/node-red', `${type}.html`), html);
}

/** The qrcode encoder, bundled into dist so that neither package depends on qrcode at runtime. */
async function bundleQrEncoder() {
	await require('esbuild').build({
		entryPoints: [path.join(ROOT, 'client/vendor/qrcode.ts')],
		outfile: path.join(ROOT, 'dist/client/vendor/qrcode.js'),
		bundle: true,
		platform: 'neutral',
		mainFields: ['main'],
		format: 'cjs',
		target: 'es2022',
		legalComments: 'inline',
		logLevel: 'warning',
	});
}

function pick(object, keys) {
	return Object.fromEntries(keys.filter((k) => object[k] !== undefined).map((k) => [k, object[k]]));
}

/** Copies `from` (a file or folder) to `to`, keeping files `keep` accepts (relative path). */
function copy(from, to, keep = () => true, rel = '') {
	const stat = fs.statSync(from);
	if (stat.isDirectory()) {
		for (const name of fs.readdirSync(from))
			copy(path.join(from, name), path.join(to, name), keep, rel ? `${rel}/${name}` : name);
	} else if (keep(rel)) {
		fs.mkdirSync(path.dirname(to), { recursive: true });
		fs.copyFileSync(from, to);
	}
}

/**
 * esbuild bundles qrcode's encoder and its dependency dijkstrajs into dist/client/vendor/qrcode.js,
 * which both packages ship: their MIT licences require the notices to travel with the code.
 */
const BUNDLED = ['qrcode', 'dijkstrajs'];

function licenceText(name) {
	const dir = path.join(ROOT, 'node_modules', name);
	const file = fs.readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
	if (!file) throw new Error(`${name}: no licence file in ${dir}`);
	const { version, license } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	// A licence written as a fenced block (dijkstrajs) keeps its own fences out of ours.
	const text = fs
		.readFileSync(path.join(dir, file), 'utf8')
		.replace(/^```\s*$/gm, '')
		.trim();
	return `## ${name} ${version} (${license})\n\n\`\`\`\n${text}\n\`\`\`\n`;
}

function thirdPartyNotices() {
	return [
		'# Third-party notices\n',
		'This package bundles code from the packages below into `dist/client/vendor/qrcode.js` (the QR',
		'code matrix encoder). Their licences follow.\n',
		...BUNDLED.map(licenceText),
	].join('\n');
}

/** `notices`: the package carries the bundled QR encoder, so its licences go with it. */
function writePackage(folder, manifest, readme, notices = true) {
	const out = path.join(BUILD, folder);
	fs.rmSync(out, { recursive: true, force: true });
	fs.mkdirSync(out, { recursive: true });
	fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
	fs.copyFileSync(path.join(ROOT, readme), path.join(out, 'README.md'));
	fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(out, 'LICENSE'));
	if (notices) fs.writeFileSync(path.join(out, 'THIRD_PARTY_NOTICES.md'), thirdPartyNotices());
	return out;
}

/** n8n loads compiled JavaScript only: no declaration files (n8n's scanner reads their names as node files). */
const runtimeFiles = (rel) => !rel.endsWith('.d.ts');

async function assembleN8n() {
	const manifest = {
		name: root.name,
		...pick(root, ['version', 'description', 'keywords', ...SHARED]),
		files: ['dist', 'THIRD_PARTY_NOTICES.md'],
		n8n: root.n8n,
		peerDependencies: root.peerDependencies,
	};
	const out = writePackage('n8n-nodes-bilibili', manifest, 'packaging/n8n/README.md');
	for (const part of ['nodes', 'credentials', 'icons'])
		copy(path.join(ROOT, 'dist', part), path.join(out, 'dist', part), runtimeFiles);
	// The client core only: its node runtime (axios, Node's timers and streams) is not used inside n8n.
	copy(
		path.join(ROOT, 'dist/client'),
		path.join(out, 'dist/client'),
		(rel) => runtimeFiles(rel) && !rel.startsWith('runtime/'),
	);
}

/** The client's runtime dependencies, at the versions the repository is built and tested with. */
const CLIENT_DEPENDENCIES = ['axios', 'https-proxy-agent', 'http-proxy-agent', 'proxy-from-env'];
const CLIENT_PACKAGE = '@n8n-nodes-bilibili/client';

function template(folder) {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'packaging', folder, 'manifest.json'), 'utf8'));
}

async function assembleClient() {
	const dependencies = Object.fromEntries(
		CLIENT_DEPENDENCIES.map((name) => {
			const range = root.devDependencies[name];
			if (!range) throw new Error(`${name} is not in package.json devDependencies`);
			return [name, range];
		}),
	);
	const manifest = { ...template('client'), ...pick(root, SHARED), dependencies };
	const out = writePackage('client', manifest, 'packaging/client/README.md');
	for (const file of ['index.js', 'index.d.ts', 'index.js.map'])
		copy(path.join(ROOT, 'dist', file), path.join(out, 'dist', file));
	for (const part of ['client', 'bin'])
		copy(path.join(ROOT, 'dist', part), path.join(out, 'dist', part));
	// Beside the other packages as npm would install it, so the assembled Node-RED package finds it.
	const link = path.join(BUILD, 'node_modules', CLIENT_PACKAGE);
	fs.mkdirSync(path.dirname(link), { recursive: true });
	fs.rmSync(link, { recursive: true, force: true });
	fs.symlinkSync(path.relative(path.dirname(link), out), link, 'dir');
}

/**
 * A compiled Node-RED file's requires of the client (../index, ../client/…) turned into requires of
 * the client package; anything else outside node-red/ is an error (it would not be in the package).
 */
function requireClientPackage(file, source) {
	const dist = path.join(ROOT, 'dist');
	return source.replace(/require\((["'])(\.{1,2}\/[^"']+)\1\)/g, (whole, _quote, spec) => {
		const target = path
			.relative(dist, path.resolve(path.dirname(file), spec))
			.split(path.sep)
			.join('/');
		if (target.startsWith('node-red/')) return whole;
		if (target === 'index') return `require("${CLIENT_PACKAGE}")`;
		if (target.startsWith('client/')) return `require("${CLIENT_PACKAGE}/dist/${target}")`;
		throw new Error(`${path.relative(ROOT, file)} requires ${spec}, which is in no package`);
	});
}

async function assembleNodeRed() {
	const manifest = {
		...template('node-red'),
		...pick(root, SHARED),
		dependencies: { [CLIENT_PACKAGE]: root.version },
	};
	// The encoder comes with the client package, so its notices do too.
	const out = writePackage('node-red-bilibili', manifest, 'packaging/node-red/README.md', false);
	copy(
		path.join(ROOT, 'dist/node-red'),
		path.join(out, 'dist/node-red'),
		(rel) => !rel.endsWith('.d.ts'),
	);
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const compiled = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(compiled);
			else if (compiled.endsWith('.js')) {
				const packaged = path.join(out, 'dist', path.relative(path.join(ROOT, 'dist'), compiled));
				fs.writeFileSync(
					packaged,
					requireClientPackage(compiled, fs.readFileSync(compiled, 'utf8')),
				);
			}
		}
	};
	walk(path.join(ROOT, 'dist/node-red'));
	copy(path.join(ROOT, 'resources'), path.join(out, 'resources'));
	copy(path.join(ROOT, 'examples'), path.join(out, 'examples'));
}

exports.assemble = series(assembleN8n, assembleClient, assembleNodeRed);
exports.build = series(
	copyAssets,
	renderNodeRedEditors,
	copyNodeRedIcon,
	bundleQrEncoder,
	exports.assemble,
);
exports.default = exports.build;
