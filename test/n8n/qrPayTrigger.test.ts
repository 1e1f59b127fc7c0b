import jsQR from 'jsqr';
import { TriggerContext } from 'n8n-core';
import { PNG } from 'pngjs';
import type { INodeExecutionData, INodeType, WorkflowExecuteMode } from 'n8n-workflow';
import { additionalDataFor, singleNodeWorkflow, workflowFrom } from '../../dev/n8nEngine';
import { GATE_SCHEDULE, secondsWithRequests } from '../helpers/gateClock';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const STATUS = '/x/ugcpay/trade/elec/pay/order/status';
const CREATE = '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create';

// Each activation is its own workflow: the trigger's failure gate lives for the process, by workflow and node.
let workflows = 0;
const workflowData = (parameters: Record<string, unknown>, id = `qr-${++workflows}`) => ({
	...singleNodeWorkflow('Bilibili QR Pay Trigger', 'bilibiliQrPayTrigger', {
		upMid: '293793435',
		amount: 5,
		pollInterval: 1,
		...parameters,
	}),
	id,
});

/** Waits (bounded) for a condition that an asynchronous trigger makes true. */
async function eventually(condition: () => boolean, ms = 5000): Promise<void> {
	for (const end = Date.now() + ms; !condition() && Date.now() < end; )
		await new Promise((r) => setTimeout(r, 10));
}

/** Activates the trigger as n8n does; `emitted` collects each execution's first item. */
async function activate(
	parameters: Record<string, unknown>,
	mode: WorkflowExecuteMode = 'trigger',
	id?: string,
) {
	const workflow = await workflowFrom(workflowData(parameters, id));
	const node = workflow.getNode('Bilibili QR Pay Trigger')!;
	const type = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
	const emitted: INodeExecutionData[] = [];
	const errors: Error[] = [];
	let notify = () => {};
	const context = new TriggerContext(
		workflow,
		node,
		additionalDataFor({ bilibiliApi: { ...ctx.sim.credentials, baseUrl: ctx.url } }),
		mode,
		'activate',
		(data) => {
			emitted.push(data[0][0]);
			notify();
		},
		(err) => errors.push(err),
	);
	const response = (await type.trigger!.call(context))!;
	const until = (count: number) =>
		new Promise<void>((resolve) => {
			notify = () => emitted.length >= count && resolve();
			notify();
		});
	return { response, emitted, errors, until };
}

describe('Bilibili QR Pay Trigger, activated through n8n-core', () => {
	it('emits created (with the PNG), scanned and paid in order, then renews the code', async () => {
		const trigger = await activate({
			events: ['created', 'scanned', 'paid', 'expired'],
			renew: true,
		});
		await trigger.until(1);
		const first = trigger.emitted[0];
		expect(first.json).toMatchObject({
			type: 'created',
			qr_token: expect.any(String),
			expires_at: expect.any(String),
		});
		const image = PNG.sync.read(Buffer.from(first.binary!.qr.data, 'base64'));
		expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(
			first.json.qr_code_url,
		);

		ctx.sim.state.scanQr(first.json.qr_token as string);
		await trigger.until(2);
		ctx.sim.state.payQr(first.json.qr_token as string);
		await trigger.until(4);
		expect(trigger.emitted.map((i) => i.json.type)).toEqual([
			'created',
			'scanned',
			'paid',
			'created',
		]);
		expect(trigger.emitted[2].json.order_no).toBe(
			ctx.sim.state.qrCodes.get(first.json.qr_token as string)?.order_no,
		);
		expect(trigger.emitted[3].json.qr_token).not.toBe(first.json.qr_token);

		// closeFunction resolves only once the watch loop has ended (its timers are the client's, whose
		// cleanup test/sim/qrWatcher.test.ts checks); afterwards nothing more reaches Bilibili.
		await trigger.response.closeFunction!();
		const requests = ctx.sim.requests.length;
		await new Promise((r) => setTimeout(r, 300));
		expect(ctx.sim.requests.length).toBe(requests);
		expect(trigger.errors).toEqual([]);
	});

	it('emits only the chosen events, and stops after expiry without renewal', async () => {
		const trigger = await activate({ events: ['expired'], renew: false });
		await eventually(() => ctx.sim.state.qrCodes.size > 0);
		const [code] = ctx.sim.state.qrCodes.values();
		ctx.sim.state.expireQr(code.token);
		await trigger.until(1);
		await new Promise((r) => setTimeout(r, 150));
		expect(trigger.emitted.map((i) => i.json.type)).toEqual(['expired']);
		expect(ctx.sim.state.qrCodes.size).toBe(1);
		await trigger.response.closeFunction!();
	});

	it('survives transient poll errors', async () => {
		const trigger = await activate({ events: ['paid'], renew: false });
		await eventually(() => ctx.sim.state.qrCodes.size > 0);
		// One failed check; the next comes after the gate's first, short wait.
		ctx.sim.injectFault({ type: 'http500', path: STATUS, times: 1 });
		const [code] = ctx.sim.state.qrCodes.values();
		ctx.sim.state.payQr(code.token);
		await trigger.until(1);
		expect(trigger.emitted[0].json).toMatchObject({ type: 'paid', order_no: expect.any(String) });
		await trigger.response.closeFunction!();
	});

	it('activation fails when the first code cannot be created, so the user sees why', async () => {
		ctx.sim.injectFault({ type: 'code', code: -101, path: 'qr_code/create' });
		await expect(activate({ events: ['created'] })).rejects.toMatchObject({
			name: 'NodeApiError',
			message: expect.stringContaining('-101'),
		});
		expect(ctx.sim.requestsTo(CREATE)).toHaveLength(1);
	});

	it('logged out mid-way: reports a trigger error once and stops, instead of looping', async () => {
		const trigger = await activate({ events: ['created'] });
		await trigger.until(1);
		ctx.sim.injectFault({ type: 'code', code: -101, path: STATUS, times: 100 });
		await eventually(() => trigger.errors.length > 0);
		expect(trigger.errors[0]).toMatchObject({
			name: 'NodeApiError',
			message: expect.stringContaining('-101'),
		});
		const requests = ctx.sim.requests.length;
		await new Promise((r) => setTimeout(r, 1500));
		expect(ctx.sim.requests.length).toBe(requests);
		await trigger.response.closeFunction!();
	});

	it('under a permanent error, re-activations send at most one request per 30 s after three failures', async () => {
		ctx.sim.injectFault({ type: 'code', code: -101, path: 'qr_code/create', times: 1000 });
		const id = `qr-logged-out-${++workflows}`;
		const activation = () => activate({ events: ['created'] }, 'trigger', id);
		// Every second for two minutes, as an eager re-activation loop would; each activation fails.
		const sent = await secondsWithRequests(
			() => expect(activation()).rejects.toMatchObject({ name: 'NodeApiError' }),
			() => ctx.sim.requestsTo(CREATE).length,
		);
		expect(sent).toEqual(GATE_SCHEDULE);
		// The error says when the next attempt is allowed, and that nothing was sent.
		await expect(activation()).rejects.toMatchObject({
			message: expect.stringContaining('BACKING_OFF'),
		});
	});

	it('in manual mode creates one code and emits created', async () => {
		const trigger = await activate({ events: ['paid'] }, 'manual');
		await trigger.response.manualTriggerFunction!();
		expect(trigger.emitted.map((i) => i.json.type)).toEqual(['created']);
		expect(trigger.emitted[0].binary?.qr.mimeType).toBe('image/png');
		await trigger.response.closeFunction!();
		expect(ctx.sim.requestsTo(STATUS)).toHaveLength(0);
	});
});
