import { useSimulator } from '../helpers/sim';
import { loadNode, useRuntime } from './redHelper';

const ctx = useSimulator();
useRuntime();
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
const SELF = '293793435';

const load = (config: Record<string, unknown>) =>
	loadNode(ctx.sim, ctx.url, 'bilibili-charge', config);

describe('bilibili-charge in Node-RED', () => {
	it('charges with the editor settings, then leaves the message given in msg ("set by msg.operation")', async () => {
		const { node, out } = await load({
			operation: 'msg',
			up_mid: SELF,
			bp_num: 3,
			otype: 'up',
			preferBalance: true,
		});
		node.receive({ operation: 'chargeWithBcoin' });
		const charged = await out.next();
		expect(charged.payload).toMatchObject({ status: 4, bp_num: 3, order_no: expect.any(String) });
		node.receive({
			operation: 'sendChargeMessage',
			order_no: (charged.payload as { order_no: string }).order_no,
			message: '加油!',
		});
		expect((await out.next(2)).payload).toMatchObject({ success: true, message: '加油!' });
		expect(ctx.sim.state.remarks.map((r) => r.msg)).toEqual(['加油!']);
		expect(ctx.sim.state.balance).toBe(97);
	});

	it('refuses a msg.is_bp_remains_prior that is not a boolean, sending nothing', async () => {
		const { node, errorMessage } = await load({
			operation: 'chargeWithBcoin',
			up_mid: SELF,
			bp_num: 2,
			preferBalance: false,
		});
		node.receive({ is_bp_remains_prior: 'yes' });
		expect(await errorMessage()).toContain(
			'Invalid "Prefer B-coin balance" (is_bp_remains_prior): expected true or false, got "yes"',
		);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(0);
	});

	it('a QR code uses the B-coin balance only when asked: unticked box and no msg → false', async () => {
		const CREATE = '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create';
		const { node, out } = await load({
			operation: 'createQrPay',
			up_mid: String(ctx.sim.credentials.DedeUserID),
			bp_num: 5,
			preferBalance: false,
		});
		node.receive({});
		await out.next();
		node.receive({ is_bp_remains_prior: true });
		await out.next(2);
		expect(ctx.sim.requestsTo(CREATE).map((r) => r.form.is_bp_remains_prior)).toEqual([
			'false',
			'true',
		]);
	});

	it('msg fills what the editor leaves blank', async () => {
		const { node, out, warnings } = await load({
			operation: 'chargeWithBcoin',
			up_mid: '',
			bp_num: '',
		});
		node.receive({ up_mid: 42, bp_num: 7 });
		expect((await out.next()).payload).toMatchObject({ up_mid: 42, bp_num: 7 });
		expect(ctx.sim.requestsTo(PAY_QUICK)[0].form).toMatchObject({
			up_mid: '42',
			oid: '42',
			bp_num: '7',
		});
		expect(warnings).toEqual([]);
	});

	it('a value set in the editor wins over msg, with a warning, the operation and the money fields included', async () => {
		const { node, out, warnings } = await load({
			operation: 'chargeWithBcoin',
			up_mid: '42',
			bp_num: 2,
		});
		node.receive({ operation: 'createQrPay', up_mid: 1, bp_num: 50 });
		expect((await out.next()).payload).toMatchObject({ up_mid: 42, bp_num: 2 });
		expect(ctx.sim.requestsTo(PAY_QUICK).map((r) => r.form.bp_num)).toEqual(['2']);
		expect(warnings).toEqual([
			'msg.operation ignored: this node sets "operation" in the editor (clear the field to take it from msg)',
			'msg.up_mid ignored: this node sets "up_mid" in the editor (clear the field to take it from msg)',
			'msg.bp_num ignored: this node sets "bp_num" in the editor (clear the field to take it from msg)',
		]);
	});

	it.each([
		[
			{ bp_num: 1 },
			'Invalid "B-coins (2–9999)" (bp_num): expected an integer from 2 to 9999, got 1',
		],
		[
			{ bp_num: 10000 },
			'Invalid "B-coins (2–9999)" (bp_num): expected an integer from 2 to 9999, got 10000',
		],
		[
			{ up_mid: 'abc' },
			'Invalid "Creator (UP) mid" (up_mid): expected a positive integer (numeric strings accepted), got "abc"',
		],
	])('bad input %j reaches the Catch node and sends nothing', async (override, message) => {
		const { node, caught, statuses } = await load({
			operation: 'chargeWithBcoin',
			up_mid: '',
			bp_num: '',
		});
		node.receive({ _msgid: 'm1', up_mid: SELF, bp_num: 2, ...override });
		const err = await caught.next();
		// Node-RED shows an error as its name and message.
		expect((err.error as { message: string }).message).toBe(`BilibiliValidationError: ${message}`);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(0);
		expect(statuses).toContainEqual(expect.objectContaining({ fill: 'red' }));
	});

	it('creates a QR code with a PNG Buffer and a data: URL, and reads its status', async () => {
		const { node, out } = await load({ operation: 'msg', up_mid: SELF, bp_num: 5 });
		node.receive({ operation: 'createQrPay' });
		const created = (await out.next()).payload as {
			qr_token: string;
			png: Buffer;
			dataUrl: string;
		};
		expect(Buffer.isBuffer(created.png)).toBe(true);
		expect(created.dataUrl).toMatch(/^data:image\/png;base64,/);
		ctx.sim.state.payQr(created.qr_token);
		node.receive({ operation: 'getQrPayStatus', qr_token: created.qr_token });
		expect((await out.next(2)).payload).toMatchObject({
			state: 'paid',
			order_no: expect.any(String),
		});
	});

	it('reports a lost charge answer as outcome unknown and sends it once', async () => {
		ctx.sim.injectFault({ type: 'drop', after: true, path: PAY_QUICK });
		const { node, caught } = await load({ operation: 'chargeWithBcoin', up_mid: SELF, bp_num: 2 });
		node.receive({});
		expect(((await caught.next()).error as { message: string }).message).toContain(
			'Outcome unknown — check the order history before charging again',
		);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
	});
});
