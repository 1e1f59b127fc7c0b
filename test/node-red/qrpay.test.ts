import { GATE_SCHEDULE, secondsWithRequests } from '../helpers/gateClock';
import { useSimulator } from '../helpers/sim';
import { helper, loadNode, useRuntime } from './redHelper';

const ctx = useSimulator();
useRuntime();
const STATUS = '/x/ugcpay/trade/elec/pay/order/status';
const CREATE = '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create';
// The node's failure gate lives for the process, by node id and account: each test has a node of its own.
let nextId = 0;
const load = () =>
	loadNode(ctx.sim, ctx.url, 'bilibili-qrpay', {
		id: `qrpay-${++nextId}`,
		up_mid: '293793435',
		bp_num: 5,
		interval: 1,
	});
const payload = (msg: Record<string, unknown>) =>
	msg.payload as {
		type: string;
		qr_token: string;
		order_no?: string;
		png?: Buffer;
		dataUrl?: string;
	};

describe('bilibili-qrpay in Node-RED', () => {
	it('answers one input with created (PNG + data: URL), scanned and paid, showing the state', async () => {
		const { node, out, statuses } = await load();
		node.receive({ topic: 'kiosk' });
		const created = payload(await out.next());
		expect(created.type).toBe('created');
		expect(Buffer.isBuffer(created.png)).toBe(true);
		expect(created.dataUrl).toMatch(/^data:image\/png;base64,/);
		ctx.sim.state.scanQr(created.qr_token);
		expect(payload(await out.next(2)).type).toBe('scanned');
		ctx.sim.state.payQr(created.qr_token);
		const paid = await out.next(3);
		expect(paid.topic).toBe('paid');
		expect(payload(paid).order_no).toBe(ctx.sim.state.qrCodes.get(created.qr_token)?.order_no);
		expect(statuses.map((s) => s.text)).toEqual(
			expect.arrayContaining(['bilibili-qrpay.status.created', 'bilibili-qrpay.status.scanned']),
		);
		expect(statuses[statuses.length - 1]).toMatchObject({ text: 'bilibili-qrpay.status.idle' });
	});

	it('watches several codes at once; an expired one says so', async () => {
		const { node, out, statuses } = await load();
		node.receive({ bp_num: 2 });
		node.receive({ bp_num: 3 });
		await out.next(2);
		expect(statuses.map((s) => s.text)).toContain('bilibili-qrpay.status.several');
		const [first, second] = [...ctx.sim.state.qrCodes.values()];
		ctx.sim.state.expireQr(first.token);
		ctx.sim.state.payQr(second.token);
		await out.next(4);
		expect(
			out.seen
				.slice(2)
				.map((m) => m.topic)
				.sort(),
		).toEqual(['expired', 'paid']);
	});

	it('stops every watch on redeploy: no request after close', async () => {
		const { node, out } = await load();
		node.receive({});
		await out.next();
		await helper.unload();
		const count = ctx.sim.requests.length;
		await new Promise((r) => setTimeout(r, 1500));
		expect(ctx.sim.requests.length).toBe(count);
	});

	it('bad input and a failed creation reach the Catch node', async () => {
		const { node, errorMessage } = await loadNode(ctx.sim, ctx.url, 'bilibili-qrpay', {
			id: `qrpay-${++nextId}`,
			up_mid: '293793435',
			bp_num: '',
			interval: 1,
		});
		node.receive({ bp_num: 1 });
		expect(await errorMessage()).toContain(
			'Invalid "B-coins (2–9999)" (bp_num): expected an integer from 2 to 9999, got 1',
		);
		ctx.sim.injectFault({ type: 'code', code: -101, path: 'qr_code/create' });
		node.receive({ bp_num: 5 });
		expect(await errorMessage(2)).toContain('Bilibili -101');
		expect(ctx.sim.requestsTo(STATUS)).toHaveLength(0);
	});

	it('under a permanent error, a message every second sends at most one request per 30 s after three failures', async () => {
		const { node, caught } = await load();
		ctx.sim.injectFault({ type: 'code', code: -101, path: 'qr_code/create', times: 1000 });
		// Every message ends in an error, sent or not: each attempt waits for it.
		const sent = await secondsWithRequests(
			(s) => {
				node.receive({});
				return caught.next(s + 1);
			},
			() => ctx.sim.requestsTo(CREATE).length,
		);
		expect(sent).toEqual(GATE_SCHEDULE);
		const last = caught.seen[caught.seen.length - 1].error as { message: string };
		expect(last.message).toContain('nothing was sent');
	});
});
