/**
 * n8n repeats a node on its own (Retry On Fail after a throw, and after a first item that carries an
 * error with Continue On Fail). Run by n8n-core's WorkflowExecute, which does those retries itself:
 * no charge, QR code or reply already sent is sent again.
 */
import { readWorkflow, runWorkflow } from '../../dev/n8nEngine';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator({ balance: 1000 });
const creds = () => ({
	bilibiliApi: {
		...ctx.sim.credentials,
		baseUrl: ctx.url,
		minIntervalMs: 0,
		maxBcoinPer24h: 100_000,
	},
});
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
const QR_CREATE = '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create';
const MESSAGE = '/x/ugcpay/trade/elec/message';
const SELF = 293793435;

/** The charge workflow with the Charge node set to retry (3 tries, no wait) and the given error mode. */
function retryingCharge(
	onError?: 'continueRegularOutput' | 'continueErrorOutput',
	node = 'Charge',
) {
	const workflow = readWorkflow('charge-bcoin.workflow.json');
	const charge = workflow.nodes.find((n) => n.name === node)!;
	Object.assign(
		charge,
		{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		onError ? { onError } : {},
	);
	return workflow;
}

describe('Retry On Fail never sends a charge twice', () => {
	it('a charge whose answer was lost is sent once; the retries report the same unknown outcome', async () => {
		ctx.sim.injectFault({ type: 'drop', after: true, path: PAY_QUICK });
		const result = await runWorkflow(retryingCharge(), {
			credentials: creds(),
			input: [{ json: { up_mid: SELF, amount: 5, message: 'x' } }],
		});
		expect(result.error('Charge')?.message).toContain(
			'Outcome unknown — check the order history before charging again',
		);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
		expect(ctx.sim.state.orders.size).toBe(1);
	});

	it('On Error → Continue with an invalid item 0: n8n re-runs the node, each good item is charged once', async () => {
		const result = await runWorkflow(retryingCharge('continueRegularOutput'), {
			credentials: creds(),
			input: [
				{ json: { up_mid: SELF, amount: 1, message: 'invalid' } },
				{ json: { up_mid: SELF, amount: 5, message: 'good' } },
				{ json: { up_mid: SELF, amount: 7, message: 'also good' } },
			],
		});
		const out = result.output('Charge');
		expect(out[0].json.error).toBe(
			'Invalid Amount (B-Coins): expected an integer from 2 to 9999, got 1',
		);
		expect(out.slice(1).map((i) => [i.json.bp_num, i.json.status])).toEqual([
			[5, 4],
			[7, 4],
		]);
		// The outputs n8n kept are the first (and only) charges: same order numbers as Bilibili's.
		expect(
			out
				.slice(1)
				.map((i) => i.json.order_no)
				.sort(),
		).toEqual([...ctx.sim.state.orders.keys()].sort());
		expect(ctx.sim.requestsTo(PAY_QUICK).map((r) => r.form.bp_num)).toEqual(['5', '7']);
		expect(ctx.sim.state.balance).toBe(1000 - 12);
	});

	it('the same with the error output: the good charge once, the invalid item down the error output', async () => {
		const result = await runWorkflow(retryingCharge('continueErrorOutput'), {
			credentials: creds(),
			input: [
				{ json: { up_mid: SELF, amount: 1, message: 'invalid' } },
				{ json: { up_mid: SELF, amount: 5, message: 'good' } },
			],
		});
		expect(result.output('Charge').map((i) => i.json.bp_num)).toEqual([5]);
		expect(result.output('Charge', 1).map((i) => i.json.message)).toEqual(['invalid']);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
	});

	it('a message already left is not sent again when a later item makes n8n retry', async () => {
		const workflow = retryingCharge('continueRegularOutput', 'Send Charge Message');
		const message = workflow.nodes.find((n) => n.name === 'Send Charge Message')!;
		// Item 0 has no order (an error item), item 1 a real one.
		message.parameters = { ...message.parameters, orderNo: '={{ $json.order_no ?? "" }}' };
		const charge = workflow.nodes.find((n) => n.name === 'Charge')!;
		charge.onError = 'continueRegularOutput';
		const result = await runWorkflow(workflow, {
			credentials: creds(),
			input: [
				{ json: { up_mid: SELF, amount: 1, message: 'no order' } },
				{ json: { up_mid: SELF, amount: 5, message: '谢谢' } },
			],
		});
		const sent = result.output('Send Charge Message');
		expect(sent[0].json.error).toContain('Order No');
		expect(sent[1].json).toMatchObject({ success: true, message: '谢谢' });
		expect(ctx.sim.requestsTo(MESSAGE)).toHaveLength(1);
	});

	it('a charge message whose answer was lost is not sent again by Retry On Fail (it may have arrived)', async () => {
		ctx.sim.injectFault({ type: 'drop', after: true, path: MESSAGE });
		const result = await runWorkflow(retryingCharge(undefined, 'Send Charge Message'), {
			credentials: creds(),
			input: [{ json: { up_mid: SELF, amount: 2, message: '一次就好' } }],
		});
		expect(result.error('Send Charge Message')?.message).toContain('may have reached Bilibili');
		expect(ctx.sim.requestsTo(MESSAGE)).toHaveLength(1);
		expect(ctx.sim.state.remarks.map((r) => r.msg)).toEqual(['一次就好']);
	});

	it('a QR code made for item 1 is not made again when item 0 makes n8n retry', async () => {
		const workflow = readWorkflow('charge-qr.workflow.json');
		const create = workflow.nodes.find((n) => n.name === 'Create QR Pay Code')!;
		Object.assign(create, {
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 0,
			onError: 'continueRegularOutput',
		});
		// Only the create node runs: the rest of the workflow waits for payment.
		workflow.connections = {};
		const result = await runWorkflow(workflow, {
			credentials: creds(),
			startAt: 'Create QR Pay Code',
			input: [{ json: { up_mid: 'not-a-mid' } }, { json: { up_mid: SELF, avid: '170001' } }],
		});
		const out = result.output('Create QR Pay Code');
		expect(out[0].json.error).toContain('Creator (UP) Mid');
		expect(out[1].json.qr_token).toBe([...ctx.sim.state.qrCodes.keys()][0]);
		expect(out[1].binary?.qr?.mimeType).toBe('image/png');
		expect(ctx.sim.requestsTo(QR_CREATE)).toHaveLength(1);
	});

	it('a new execution is new work: the same input charges again', async () => {
		const input = [{ json: { up_mid: SELF, amount: 2, message: 'x' } }];
		await runWorkflow(retryingCharge(), { credentials: creds(), input });
		await runWorkflow(retryingCharge(), { credentials: creds(), input });
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(2);
	});
});

describe('On Error → Stop keeps what was already charged', () => {
	it('the error names the charges the earlier items made, with order numbers and amounts', async () => {
		ctx.sim.state.balance = 10;
		const result = await runWorkflow(readWorkflow('charge-bcoin.workflow.json'), {
			credentials: creds(),
			input: [
				{ json: { up_mid: SELF, amount: 2, message: 'a' } },
				{ json: { up_mid: SELF, amount: 3, message: 'b' } },
				{ json: { up_mid: SELF, amount: 50, message: 'balance too low' } },
			],
		});
		const err = result.error('Charge') as Error & {
			description?: string;
			context?: { alreadyCharged?: string[] };
			message: string;
		};
		expect(err.message).toContain('800409904');
		const orders = [...ctx.sim.state.orders.values()];
		expect(orders.map((o) => o.bp_num)).toEqual([2, 3]);
		expect(err.context?.alreadyCharged).toEqual([
			`item 0: 2 B-coins to UP ${SELF}, order_no ${orders[0].order_no}`,
			`item 1: 3 B-coins to UP ${SELF}, order_no ${orders[1].order_no}`,
		]);
		expect(err.description).toContain('Retrying this execution would charge these again');
	});
});

describe('a credential that cannot make a client', () => {
	it('honours Continue On Fail: each item gets the error, nothing is sent', async () => {
		const workflow = readWorkflow('charge-bcoin.workflow.json');
		workflow.nodes.find((n) => n.name === 'Charge')!.onError = 'continueRegularOutput';
		const result = await runWorkflow(workflow, {
			credentials: {
				bilibiliApi: { ...ctx.sim.credentials, SESSDATA: 'has space', baseUrl: ctx.url },
			},
			input: [
				{ json: { up_mid: SELF, amount: 2, message: 'x' } },
				{ json: { up_mid: SELF, amount: 3, message: 'y' } },
			],
		});
		const out = result.output('Charge');
		expect(out).toHaveLength(2);
		for (const item of out) expect(item.json.error).toContain('SESSDATA');
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(0);
	});
});
