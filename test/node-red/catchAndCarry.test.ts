/**
 * What docs/node-red.md promises a flow: a Catch node sees Bilibili's code in msg.error.code with the
 * explanation in msg.error.message and the input message's own properties beside it; bad input and
 * spending-limit refusals carry no code; a QR pay node's answers carry the seller's own order id.
 */
import { useSimulator } from '../helpers/sim';
import { loadNode, useRuntime } from './redHelper';

const ctx = useSimulator();
useRuntime();
const PROFILE = '/x/member/web/account';
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
let nextId = 0;

interface CaughtError {
	code?: unknown;
	message: string;
	source: { id: string; type: string; name?: string };
}

describe('errors on a Catch node', () => {
	it("a logged-out session: msg.error.code -101, the explanation in both languages, the user's properties kept", async () => {
		// As Bilibili answers a session that expired or was ended by a refresh elsewhere.
		ctx.sim.injectFault({ type: 'code', code: -101, message: '账号未登录', path: PROFILE });
		const { node, caught } = await loadNode(ctx.sim, ctx.url, 'bilibili-account', {
			id: `acct-op-${++nextId}`,
			operation: 'getProfile',
		});
		node.receive({ payload: 'go', chatId: 42 });
		const msg = await caught.next();
		const error = msg.error as CaughtError;
		expect(error.code).toBe(-101);
		expect(error.message).toBe(
			'BilibiliApiError: Bilibili -101 on account.getProfile: Not logged in: SESSDATA is missing, expired or wrong. Log in again and copy the SESSDATA cookie (账号未登录)',
		);
		expect(error.source).toMatchObject({ id: `acct-op-${nextId}`, type: 'bilibili-account' });
		expect(msg.chatId).toBe(42);
	});

	it('bad input: no code, the field named, nothing sent', async () => {
		const { node, caught } = await loadNode(ctx.sim, ctx.url, 'bilibili-charge', {
			id: `charge-${++nextId}`,
			operation: 'chargeWithBcoin',
			up_mid: ctx.sim.credentials.DedeUserID,
		});
		node.receive({ bp_num: 1 });
		const error = (await caught.next()).error as CaughtError;
		expect(error.code).toBeUndefined();
		expect(error.message).toBe(
			'BilibiliValidationError: Invalid "B-coins (2–9999)" (bp_num): expected an integer from 2 to 9999, got 1',
		);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(0);
	});

	it('a spending-limit refusal: no code, the limit named, nothing sent', async () => {
		const { node, caught } = await loadNode(ctx.sim, ctx.url, 'bilibili-charge', {
			id: `charge-${++nextId}`,
			operation: 'chargeWithBcoin',
			up_mid: ctx.sim.credentials.DedeUserID,
		});
		node.receive({ bp_num: 51 });
		const error = (await caught.next()).error as CaughtError;
		expect(error.code).toBeUndefined();
		expect(error.message).toMatch(
			/^BilibiliSpendingLimitError: Spending limit: a charge of 51 B-coins is over the maximum per charge \(50\)\. Nothing was sent\./,
		);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(0);
	});
});

describe('selling with QR codes', () => {
	it("every answer of QR pay carries the seller's own order id, Bilibili's order_no on paid", async () => {
		const { node, out } = await loadNode(ctx.sim, ctx.url, 'bilibili-qrpay', {
			id: `qrpay-sell-${++nextId}`,
			up_mid: ctx.sim.credentials.DedeUserID,
			interval: 1,
		});
		node.receive({ orderId: 'A-1001', bp_num: 5 });
		node.receive({ orderId: 'A-1002', bp_num: 7 });
		const created = [await out.next(1), await out.next(2)];
		expect(created.map((m) => [m.topic, m.orderId])).toEqual(
			expect.arrayContaining([
				['created', 'A-1001'],
				['created', 'A-1002'],
			]),
		);
		const second = created.find((m) => m.orderId === 'A-1002')!;
		const token = (second.payload as { qr_token: string }).qr_token;
		ctx.sim.state.payQr(token);
		const paid = await out.next(3);
		expect(paid).toMatchObject({ topic: 'paid', orderId: 'A-1002', bp_num: 7 });
		expect((paid.payload as { order_no: string }).order_no).toBe(
			ctx.sim.state.qrCodes.get(token)?.order_no,
		);
		// The paid code was made for the amount its order asked.
		expect(ctx.sim.state.qrCodes.get(token)).toMatchObject({ bp_num: 7 });
	});
});
