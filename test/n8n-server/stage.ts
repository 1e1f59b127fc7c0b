/**
 * The real n8n server stage's set-up, shared by its suites: n8n installed (cache), this package packed
 * and installed as a community package, the simulator's credentials imported; and `n8n execute` of a
 * workflow, giving its run data by node name.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureN8n, N8nInstance, packPackage } from '../../dev/n8nServer';
import { freePort } from '../../dev/nodeRed';
import type { BilibiliSimulator } from '../../simulator';

export const SELF = 293793435;
export const bilibili = (type: string) => `n8n-nodes-bilibili.${type}`;
export const credentials = (id: string) => ({ bilibiliApi: { id, name: `Bilibili ${id}` } });

export const credential = (id: string, data: Record<string, unknown>) => ({
	id,
	name: `Bilibili ${id}`,
	type: 'bilibiliApi',
	data,
});

/** A started simulator's n8n: `simGood` (pacing off) and `simLoggedOut` credentials. */
export async function setUpStage(sim: BilibiliSimulator): Promise<N8nInstance> {
	const started = Date.now();
	await ensureN8n();
	const n8n = new N8nInstance(await freePort(), await freePort());
	await n8n.installPackage(
		await packPackage(mkdtempSync(path.join(os.tmpdir(), 'bilibili-pack-'))),
	);
	await n8n.import('credentials', [
		credential('simGood', { ...sim.credentials, baseUrl: sim.url, minIntervalMs: 0 }),
		credential('simLoggedOut', { ...sim.credentials, SESSDATA: 'logged-out', baseUrl: sim.url }),
	]);
	process.stdout.write(
		`n8n server stage set up in ${Math.round((Date.now() - started) / 1000)} s\n`,
	);
	return n8n;
}

export type RunData = Record<
	string,
	Array<{
		startTime?: number;
		executionTime?: number;
		error?: { message?: string; description?: string; context?: Record<string, unknown> };
		data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
	}>
>;

/** Imports a workflow and runs it with `n8n execute`; its run data by node name. */
export async function executeWorkflow(
	n8n: N8nInstance,
	workflow: Record<string, unknown>,
	extraEnv: NodeJS.ProcessEnv = {},
) {
	await n8n.import('workflow', { active: false, settings: { executionOrder: 'v1' }, ...workflow });
	const result = await n8n.execute(String(workflow.id), extraEnv);
	if (!result.run)
		throw new Error(
			`n8n execute gave no run (exit ${result.code}): ${result.stdout.slice(-3000)} ${result.stderr.slice(-3000)}`,
		);
	const run = result.run as unknown as {
		status?: string;
		data: { resultData: { runData: RunData; error?: { message?: string; description?: string } } };
	};
	return {
		status: run.status,
		runData: run.data.resultData.runData,
		error: run.data.resultData.error,
	};
}

/** Start → Set (one item per entry) → Split Out ("Split"), then `nodes`, each fed by Split. */
export function itemsWorkflow(
	id: string,
	items: Array<Record<string, unknown>>,
	nodes: Array<Record<string, unknown> & { name: string }>,
) {
	return {
		id,
		name: id,
		nodes: [
			{
				id: 'a',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b',
				name: 'Items',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ items }) },
			},
			{
				id: 'c',
				name: 'Split',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'items' },
			},
			...nodes,
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [nodes.map((n) => ({ node: n.name, type: 'main', index: 0 }))] },
		},
	};
}

/** A credential as n8n stores it now (`n8n export:credentials --decrypted`): its data. */
export async function storedCredential(
	n8n: N8nInstance,
	id: string,
): Promise<Record<string, unknown>> {
	const file = path.join(n8n.userFolder, `export-${id}-${Date.now()}.json`);
	const result = await n8n.cli(
		'export:credentials',
		`--id=${id}`,
		'--decrypted',
		`--output=${file}`,
	);
	if (result.code !== 0)
		throw new Error(`n8n export:credentials failed: ${result.stderr || result.stdout}`);
	const [exported] = JSON.parse(readFileSync(file, 'utf8')) as Array<{
		data: Record<string, unknown>;
	}>;
	rmSync(file);
	return exported.data;
}
