import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PollContext, TriggerContext } from 'n8n-core';
import type { INodeExecutionData, INodeType, IWorkflowBase } from 'n8n-workflow';
import { additionalDataFor, PACKAGE_ROOT, runWorkflow, workflowFrom } from '../../dev/n8nEngine';
import { useSimulator } from '../helpers/sim';
import { until } from '../helpers/until';

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

/** How n8n (a required parameter left empty) and the node (checked at activation) name the field. */
const FIELD_NAMED = new RegExp(
	[
		/^The '[^']+' node has issues:\n- Parameter "Creator \(UP\) Mid" is required\.$/,
		/^Invalid Creator \(UP\) Mid: expected a positive integer \(numeric strings accepted\), got ""$/,
	]
		.map((r) => r.source)
		.join('|'),
);

/** What a user changes after importing: the Creator (UP) Mid, on every node that has one. */
function withMid(data: IWorkflowBase, mid: string): IWorkflowBase {
	for (const node of data.nodes) if ('upMid' in node.parameters) node.parameters.upMid = mid;
	return data;
}

/** Requests that change something at Bilibili: a charge, a QR code, a message, a reply, an upload… */
const writes = () =>
	ctx.sim.requests.filter((r) => r.method === 'POST' && !r.path.includes('GenWebTicket'));

/** The example's trigger activated as n8n activates it; `emitted` collects each execution's items. */
async function activate(data: IWorkflowBase, name: string) {
	const workflow = await workflowFrom(data);
	const node = workflow.getNode(name)!;
	const type = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
	const emitted: INodeExecutionData[][] = [];
	const context = new TriggerContext(
		workflow,
		node,
		additionalDataFor(creds()),
		'trigger',
		'activate',
		(items) => emitted.push(items[0]),
		() => {},
	);
	const response = (await type.trigger!.call(context))!;
	return { response, emitted };
}

describe('importable n8n example workflows', () => {
	// As imported, with only the credential picked (the stored id is this test's credential): no
	// example names a creator, so one that would pay a creator stops at its empty field.
	it.each(readdirSync(dir))(
		'%s as imported: nothing is written; a charging example stops naming "Creator (UP) Mid"',
		async (file) => {
			const data = example(file);
			const names = new Set(data.nodes.map((n) => n.type));
			const asksForMid = data.nodes.some((n) => 'upMid' in n.parameters);
			let failure: string | undefined;
			if (names.has('n8n-nodes-base.manualTrigger')) {
				// n8n itself refuses to start a run while a required parameter is empty.
				failure = await runWorkflow(data, { credentials: creds() }).then(
					(result) => result.run.data.resultData.error?.message,
					(err: Error) => err.message,
				);
			} else if (names.has('n8n-nodes-bilibili.bilibiliQrPayTrigger')) {
				failure = await activate(data, 'Charge QR Code').then(
					async (t) => void (await t.response.closeFunction?.()),
					(err: Error) => err.message,
				);
			} else {
				const workflow = await workflowFrom(data, {});
				const trigger = workflow.getNode('New Charge Remark')!;
				const type = workflow.nodeTypes.getByNameAndVersion(trigger.type, 1) as INodeType;
				await type.poll!.call(
					new PollContext(workflow, trigger, additionalDataFor(creds()), 'trigger', 'activate'),
				);
			}
			expect(writes()).toEqual([]);
			if (asksForMid) expect(failure).toMatch(FIELD_NAMED);
			else expect(failure).toBeUndefined();
		},
	);

	it("qr-charge-kiosk with the creator's own mid: a code is made, paid, and the payer thanked", async () => {
		const own = String(ctx.sim.credentials.DedeUserID);
		const data = withMid(example('qr-charge-kiosk.json'), own);
		const trigger = await activate(data, 'Charge QR Code');
		try {
			const created = await until('the created code', () => trigger.emitted[0]?.[0], 10_000, 20);
			expect(created.json).toMatchObject({ type: 'created' });
			expect(ctx.sim.state.qrCodes.get(created.json.qr_token as string)?.up_mid).toBe(Number(own));
			ctx.sim.state.payQr(created.json.qr_token as string);
			const paid = await until(
				'the paid event',
				() => trigger.emitted.find((items) => items[0].json.type === 'paid'),
				10_000,
				20,
			);
			// The If node's "paid" branch hands the item over.
			const result = await runWorkflow(data, {
				credentials: creds(),
				startAt: 'Leave a Message',
				input: paid,
			});
			expect(result.output('Leave a Message')[0].json).toMatchObject({ success: true });
			expect(ctx.sim.state.orders.get(paid[0].json.order_no as string)?.message).toBe(
				'感谢扫码充电!',
			);
		} finally {
			await trigger.response.closeFunction?.();
		}
	});

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

	it('monthly-charge with the mid of the creator to support: the charge and its message, as the schedule would start them', async () => {
		const result = await runWorkflow(withMid(example('monthly-charge.json'), '19978396'), {
			credentials: creds(),
			startAt: 'Charge 5 B-Coins',
		});
		expect(result.output('Leave a Message')[0].json).toMatchObject({
			success: true,
			message: '每月一充,支持一下!',
		});
		expect(ctx.sim.state.balance).toBe(95);
		expect([...ctx.sim.state.orders.values()].map((o) => o.up_mid)).toEqual([19978396]);
	});

	it('daily-account-report: profile and exp tasks', async () => {
		const result = await runWorkflow(example('daily-account-report.json'), {
			credentials: creds(),
		});
		expect(result.output('Profile')[0].json.mid).toBe(293793435);
		expect(result.output('Exp Tasks')[0].json.coins).toBe(30);
	});
});
