/**
 * The minimum B-coin balance to keep (spendingLimits.minBcoinBalance): the wallet is read before each
 * charge, and a charge that would leave less, or whose wallet cannot be read, is refused unsent.
 */
import { BilibiliSpendingLimitError } from '../../index';
import { accountKeys, processLedger } from '../../client/spending';
import { simClient, useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
const QR_CREATE = '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create';
const NAV = '/x/web-interface/nav';
const spentToday = () =>
	processLedger.spent(accountKeys(ctx.sim.credentials.SESSDATA, ctx.sim.credentials.DedeUserID));
const floorClient = (minBcoinBalance: number) =>
	simClient(ctx, { spendingLimits: { maxPerCharge: 9999, maxPer24h: 1_000_000, minBcoinBalance } });

describe('minimum B-coin balance to keep', () => {
	it('reads the wallet before each charge and refuses, unsent, one that would leave less', async () => {
		const client = floorClient(90);
		await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 });
		expect(ctx.sim.state.balance).toBe(95);
		const spent = spentToday();
		const err = await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 6 }).catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliSpendingLimitError);
		expect(err).toMatchObject({ limit: 'minBcoinBalance', limitValue: 90, balance: 95 });
		expect(err.message).toBe(
			'Spending limit: the B-coin balance is 95; a charge of 6 would leave 89, below the minimum balance to keep (90). Nothing was sent. To allow it, lower "Minimum B-Coin Balance to Keep" in the Bilibili credential (n8n) or account node (Node-RED), or spendingLimits.minBcoinBalance in the client',
		);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
		expect(ctx.sim.requestsTo(NAV)).toHaveLength(2);
		expect(ctx.sim.state.balance).toBe(95);
		expect(spentToday()).toBe(spent);
		// Exactly down to the floor is allowed.
		await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 });
		expect(ctx.sim.state.balance).toBe(90);
	});

	it('sees what others spent: the balance is the wallet, not this client', async () => {
		const client = floorClient(90);
		ctx.sim.state.balance = 94; // spent elsewhere (the app, another worker)
		await expect(client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 })).rejects.toMatchObject({
			limit: 'minBcoinBalance',
			balance: 94,
		});
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(0);
	});

	it.each([
		['logged out (-101)', { type: 'code' as const, code: -101 }, 'Bilibili -101 on account.getNav'],
		['a server failing every try', { type: 'http500' as const, times: 10 }, 'HTTP'],
		[
			'an answer without a wallet',
			{ type: 'body' as const, body: { code: 0, data: { isLogin: true, mid: 293793435 } } },
			'the answer has no wallet.bcoin_balance',
		],
	])('a wallet that cannot be read refuses the charge: %s', async (_name, fault, cause) => {
		const client = floorClient(10);
		ctx.sim.injectFault({ ...fault, path: NAV });
		const spent = spentToday();
		const err = await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 }).catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliSpendingLimitError);
		expect(err.limit).toBe('minBcoinBalance');
		expect(err.balance).toBeUndefined();
		expect(err.message).toContain('the B-coin balance could not be read (');
		expect(err.message).toContain(cause);
		expect(err.message).toContain('Nothing was sent');
		expect(err.message).not.toContain(ctx.sim.credentials.SESSDATA);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(0);
		expect(ctx.sim.state.balance).toBe(100);
		expect(spentToday()).toBe(spent);
	});

	it('charges of one account in one process are checked one at a time', async () => {
		const client = floorClient(92);
		const other = floorClient(92);
		const results = await Promise.allSettled([
			client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 }),
			other.charge.chargeWithBcoin({ up_mid: 2, bp_num: 5 }),
		]);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		expect(ctx.sim.state.balance).toBe(95);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
	});

	it('checks a QR code that may draw on the balance, and not one the fan pays in full', async () => {
		const client = floorClient(98);
		await expect(
			client.charge.createQrPay({ up_mid: 1, bp_num: 5, is_bp_remains_prior: true }),
		).rejects.toMatchObject({ limit: 'minBcoinBalance', balance: 100 });
		expect(ctx.sim.requestsTo(QR_CREATE)).toHaveLength(0);
		const code = await client.charge.createQrPay({ up_mid: 1, bp_num: 5 });
		expect(code.qr_token).toBeTruthy();
		expect(ctx.sim.requestsTo(NAV)).toHaveLength(1);
		// The simulator draws a balance-first code's B-coins from the wallet when it is paid.
		const drawing = await floorClient(90).charge.createQrPay({
			up_mid: 1,
			bp_num: 5,
			is_bp_remains_prior: true,
		});
		ctx.sim.state.payQr(drawing.qr_token);
		expect(ctx.sim.state.balance).toBe(95);
	});

	it('holds balance-first QR codes against the floor until they are seen paid or expired', async () => {
		const client = floorClient(80);
		const qr = () => client.charge.createQrPay({ up_mid: 1, bp_num: 9, is_bp_remains_prior: true });
		const first = await qr();
		await qr();
		const err = await qr().catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliSpendingLimitError);
		expect(err).toMatchObject({ limit: 'minBcoinBalance', balance: 100 });
		expect(err.message).toContain(
			'the B-coin balance is 100 (18 of it may still be drawn by this account',
		);
		expect(err.message).toContain('a charge of 9 would leave 73');
		expect(ctx.sim.requestsTo(QR_CREATE)).toHaveLength(2);
		// A B-coin charge counts them too.
		await expect(client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 3 })).rejects.toMatchObject({
			limit: 'minBcoinBalance',
		});
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(0);
		// The first code paid and seen paid: the wallet shows it, its hold ends; the second still holds.
		ctx.sim.state.payQr(first.qr_token);
		expect((await client.charge.getQrPayStatus(first.qr_token)).state).toBe('paid');
		await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 });
		expect(ctx.sim.state.balance).toBe(89);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
	});

	it('a wallet read before the last charge is booked does not let the next one pass', async () => {
		const client = floorClient(90);
		await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 });
		expect(ctx.sim.state.balance).toBe(95);
		// Bilibili's wallet still shows the balance from before that charge.
		ctx.sim.injectFault({
			type: 'body',
			path: NAV,
			body: { code: 0, data: { isLogin: true, mid: 293793435, wallet: { bcoin_balance: 100 } } },
		});
		const err = await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 6 }).catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliSpendingLimitError);
		expect(err.message).toContain('a charge of 6 would leave 89');
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
		expect(ctx.sim.state.balance).toBe(95);
	});

	it('is off at 0 (the default): no wallet read', async () => {
		await floorClient(0).charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 });
		await simClient(ctx).charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 });
		expect(ctx.sim.requestsTo(NAV)).toHaveLength(0);
	});

	it('refuses a floor out of range before anything is sent', () => {
		expect(() => floorClient(-1)).toThrow(
			'Invalid spendingLimits.minBcoinBalance: expected an integer from 0 to 1000000, got -1',
		);
	});
});
