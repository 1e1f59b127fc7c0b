/** Figure 4: time to import every n8n and Node-RED module of the package, against n8n-workflow alone. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { median } from './stats';
import { N8N_PACKAGE_DIR, NODE_RED_PACKAGE_DIR } from '../dev/packageRoot';

const ROOT = path.resolve(__dirname, '../..');

function importTime(modules: string[]): number {
	const script = `const t=process.hrtime.bigint();for (const m of ${JSON.stringify(modules)}) require(m);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
	return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

export interface ColdStartRow {
	what: string;
	medianMs: number;
	ratioToN8nWorkflow: number;
	qrEncoderLoaded: boolean;
}

export function benchColdStart(runs = 7): ColdStartRow[] {
	// The files of the two published packages, as gulp assembled them.
	const n8nPkg = JSON.parse(readFileSync(path.join(N8N_PACKAGE_DIR, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const redPkg = JSON.parse(
		readFileSync(path.join(NODE_RED_PACKAGE_DIR, 'package.json'), 'utf8'),
	) as { 'node-red': { nodes: Record<string, string> } };
	const n8nModules = [...n8nPkg.n8n.credentials, ...n8nPkg.n8n.nodes].map((f) =>
		path.join(N8N_PACKAGE_DIR, f),
	);
	const redModules = Object.values(redPkg['node-red'].nodes).map((f) =>
		path.join(NODE_RED_PACKAGE_DIR, f),
	);
	const sets: Array<[string, string[]]> = [
		['n8n-workflow alone', [require.resolve('n8n-workflow')]],
		[
			'n8n-workflow + all n8n nodes and credentials',
			[require.resolve('n8n-workflow'), ...n8nModules],
		],
		['all Node-RED nodes', redModules],
	];
	const times = sets.map(([, modules]) =>
		median(Array.from({ length: runs }, () => importTime(modules))),
	);
	// The QR encoder loads only when a code is rendered: importing every node must not load it.
	const qrEncoderLoaded =
		execFileSync(
			process.execPath,
			[
				'-e',
				`for (const m of ${JSON.stringify([...n8nModules, ...redModules])}) require(m);process.stdout.write(String(Object.keys(require.cache).some((k)=>k.includes('/client/vendor/qrcode'))))`,
			],
			{ cwd: ROOT, encoding: 'utf8' },
		) === 'true';
	return sets.map(([what], i) => ({
		what,
		medianMs: times[i],
		ratioToN8nWorkflow: times[i] / times[0],
		qrEncoderLoaded,
	}));
}
