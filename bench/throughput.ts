/** Figure 5: 1000 items through the Remark Reply operation in a workflow run by n8n-core, against 1000 direct client calls. */
import { BilibiliClient } from '../index';
import { BilibiliSimulator } from '../simulator';
import { runWorkflow } from '../dev/n8nEngine';
import type { IWorkflowBase } from 'n8n-workflow';

export interface ThroughputRow {
	items: number;
	n8nMs: number;
	clientMs: number;
	ratio: number;
}

const workflow = {
	name: 'reply bench',
	nodes: [
		{
			parameters: {},
			id: 't',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
		},
		{
			parameters: { operation: 'reply', remarkId: '={{ $json.id }}', message: '={{ $json.text }}' },
			id: 'r',
			name: 'Reply',
			type: 'n8n-nodes-bilibili.bilibiliRemark',
			typeVersion: 1,
			position: [200, 0],
			credentials: { bilibiliApi: { id: '1', name: 'sim' } },
		},
	],
	connections: { Start: { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
} as unknown as IWorkflowBase;

export async function benchThroughput(items = 1000): Promise<ThroughputRow> {
	const sim = new BilibiliSimulator();
	const url = await sim.start();
	const remark = sim.addRemark({ msg: 'bench' });
	const input = Array.from({ length: items }, (_, i) => ({
		json: { id: remark.id, text: `thanks ${i}` },
	}));
	// The nodes build their client from the credentials: simulator URL, pacing off on both sides.
	const credentials = { bilibiliApi: { ...sim.credentials, baseUrl: url, minIntervalMs: 0 } };

	let t = process.hrtime.bigint();
	const result = await runWorkflow(workflow, { credentials, input });
	const n8nMs = Number(process.hrtime.bigint() - t) / 1e6;
	if (result.output('Reply').length !== items)
		throw new Error('the workflow did not reply to every item');

	const client = new BilibiliClient({
		credentials: sim.credentials,
		baseUrl: url,
		rateLimit: false,
	});
	t = process.hrtime.bigint();
	for (const item of input) await client.remarks.reply({ id: item.json.id, msg: item.json.text });
	const clientMs = Number(process.hrtime.bigint() - t) / 1e6;
	client.close();
	await sim.stop();
	return { items, n8nMs, clientMs, ratio: n8nMs / clientMs };
}
