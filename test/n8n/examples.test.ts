import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PollContext } from 'n8n-core';
import type { INodeType, IWorkflowBase } from 'n8n-workflow';
import { additionalDataFor, PACKAGE_ROOT, runWorkflow, workflowFrom } from '../../dev/n8nEngine';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const creds = () => ({ bilibiliApi: { ...ctx.sim.credentials, baseUrl: ctx.url } });
const dir = path.join(PACKAGE_ROOT, 'n8n-workflows');
/**
 * An example as n8n would import it, less the n8n-nodes-base nodes (Schedule Trigger, If) that the
 * tests do not have; the run starts where such a node would hand over.
 */
function example(file: string): IWorkflowBase {
	const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as IWorkflowBase;
	const ours = (type: string) =>
		type.startsWith('n8n-nodes-bilibili.') || type === 'n8n-nodes-base.manualTrigger';
	const kept = new Set(data.nodes.filter((n) => ours(n.type)).map((n) => n.name));
	data.nodes = data.nodes.filter((n) => kept.has(n.name));
	data.connections = Object.fromEntries(
		Object.entries(data.connections).filter(([from]) => kept.has(from)),
	);
	return data;
}

describe('importable n8n example workflows', () => {
	it.each(readdirSync(dir))(
		'%s uses only known operations and parameters of this package',
		async (file) => {
			const workflow = await workflowFrom(example(file));
			for (const node of Object.values(workflow.nodes).filter((n) =>
				n.type.startsWith('n8n-nodes-bilibili.'),
			)) {
				const type = workflow.nodeTypes.getByNameAndVersion(
					node.type,
					node.typeVersion,
				) as INodeType;
				const known = new Set(type.description.properties.map((p) => p.name));
				for (const name of Object.keys(node.parameters))
					if (name !== 'pollTimes') expect(known).toContain(name);
				const operation = type.description.properties.find((p) => p.name === 'operation');
				if (operation)
					expect(operation.options!.map((o) => (o as { value: string }).value)).toContain(
						node.parameters.operation,
					);
				expect(node.credentials).toEqual({ bilibiliApi: expect.any(Object) });
			}
		},
	);

	it('thank-new-remarks: a remark arriving after activation gets a thank-you reply naming the fan', async () => {
		const data = example('thank-new-remarks.json');
		const workflow = await workflowFrom(data, {});
		const trigger = workflow.getNode('New Charge Remark')!;
		const type = workflow.nodeTypes.getByNameAndVersion(trigger.type, 1) as INodeType;
		const poll = () =>
			type.poll!.call(
				new PollContext(workflow, trigger, additionalDataFor(creds()), 'trigger', 'activate'),
			);
		expect(await poll()).toBeNull();
		const remark = ctx.sim.addRemark({ msg: '加油!', uname: '小明' });
		const items = (await poll())![0];
		const result = await runWorkflow(data, {
			credentials: creds(),
			startAt: 'Thank the Fan',
			input: items,
		});
		expect(result.output('Thank the Fan')[0].json).toMatchObject({
			success: true,
			msg: '谢谢小明的充电!',
		});
		expect(ctx.sim.state.findRemark(remark.id)).toMatchObject({
			state: 1,
			reply_msg: '谢谢小明的充电!',
		});
	});

	it('monthly-charge: the charge and its message, as the schedule would start them', async () => {
		const result = await runWorkflow(example('monthly-charge.json'), {
			credentials: creds(),
			startAt: 'Charge 5 B-Coins',
		});
		expect(result.output('Leave a Message')[0].json).toMatchObject({
			success: true,
			message: '每月一充,支持一下!',
		});
		expect(ctx.sim.state.balance).toBe(95);
	});

	it('daily-account-report: profile and exp tasks', async () => {
		const result = await runWorkflow(example('daily-account-report.json'), {
			credentials: creds(),
		});
		expect(result.output('Profile')[0].json.mid).toBe(293793435);
		expect(result.output('Exp Tasks')[0].json.coins).toBe(30);
	});
});
