import nock from 'nock';
import {
	BilibiliClient,
	BilibiliOutcomeUnknownError,
	BilibiliSpendingLimitError,
	BilibiliValidationError,
} from '../../index';
import { SpendingLedger } from '../../client/spending';
import * as ex from '../fixtures/examples';
import { API, COOKIES, form, useNock } from '../helpers/nockClient';

useNock();

const PAY = '/x/ugcpay/web/v2/trade/elec/pay/quick';
const clients: BilibiliClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

/** Each test charges its own account (its own login and DedeUserID), so the process-wide ledger starts empty for it. */
let nextMid = 900_000_001;
function guarded(
	spendingLimits?: { maxPerCharge?: number; maxPer24h?: number },
	mid = String(nextMid++),
) {
	const client = new BilibiliClient({
		credentials: { ...COOKIES, SESSDATA: `${COOKIES.SESSDATA}${mid}`, DedeUserID: mid },
		rateLimit: false,
		retry: { retries: 0 },
		spendingLimits,
	});
	clients.push(client);
	return client;
}

function payReplies(count: number, body: object = ex.payQuickOk) {
	const amounts: number[] = [];
	nock(API)
		.post(PAY, (b) => (amounts.push(Number(form(b).bp_num)), true))
		.times(count)
		.reply(200, body);
	return amounts;
}

describe('spending guard', () => {
	it('refuses a charge over the per-charge maximum (default 50) before anything is sent', async () => {
		const err = await guarded()
			.charge.chargeWithBcoin({ up_mid: 1, bp_num: 51 })
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliSpendingLimitError);
		expect(err).toBeInstanceOf(BilibiliValidationError);
		expect(err).toMatchObject({ field: 'bp_num', limit: 'maxPerCharge', limitValue: 50 });
		expect(err.message).toBe(
			'Spending limit: a charge of 51 B-coins is over the maximum per charge (50). Nothing was sent. To allow it, raise "Maximum B-Coins per Charge" in the Bilibili credential (n8n) or account node (Node-RED), or spendingLimits.maxPerCharge in the client',
		);
	});

	it('counts every charge sent for the account over a rolling 24 hours (default 200), across clients', async () => {
		const mid = String(nextMid++);
		const amounts = payReplies(4);
		const a = guarded(undefined, mid);
		const b = guarded(undefined, mid);
		for (const client of [a, b, a, b])
			await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 50 });
		const err = await a.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 }).catch((e) => e);
		expect(err).toMatchObject({ limit: 'maxPer24h', limitValue: 200, spent24h: 200 });
		expect(err.message).toContain(
			'200 B-coins were charged from this account in the last 24 hours; 2 more would pass the maximum of 200 per 24 hours',
		);
		expect(amounts).toEqual([50, 50, 50, 50]);
		// Another account has its own allowance.
		payReplies(1);
		await guarded().charge.chargeWithBcoin({ up_mid: 1, bp_num: 50 });
	});

	it('frees B-coins 24 hours after they were charged', async () => {
		jest.useFakeTimers({
			doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout', 'queueMicrotask'],
			now: new Date('2026-11-25T00:00:00Z'),
		});
		try {
			const client = guarded({ maxPerCharge: 100, maxPer24h: 100 });
			payReplies(2);
			await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 100 });
			jest.setSystemTime(new Date('2026-11-25T23:59:59Z'));
			await expect(client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 })).rejects.toMatchObject({
				limit: 'maxPer24h',
				spent24h: 100,
			});
			jest.setSystemTime(new Date('2026-11-26T00:00:00Z'));
			await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 100 });
		} finally {
			jest.useRealTimers();
		}
	});

	it('counts a charge whose outcome is unknown, and gives back one that provably failed', async () => {
		const client = guarded({ maxPerCharge: 60, maxPer24h: 100 });
		nock(API).post(PAY).reply(200, ex.payQuickNoBalance);
		await expect(client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 60 })).rejects.toMatchObject({
			chargeStatus: -4,
		});
		nock(API).post(PAY).reply(502, '<html>Bad Gateway</html>', { 'Content-Type': 'text/html' });
		await expect(client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 60 })).rejects.toBeInstanceOf(
			BilibiliOutcomeUnknownError,
		);
		// 60 unknown + 60 would pass 100: refused, though the balance-too-low 60 was given back.
		await expect(client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 60 })).rejects.toMatchObject({
			limit: 'maxPer24h',
			spent24h: 60,
		});
		payReplies(1);
		await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 40 });
	});

	it('a refused charge never counts, and parallel charges cannot all slip past the limit', async () => {
		const client = guarded({ maxPerCharge: 50, maxPer24h: 100 });
		await expect(client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 51 })).rejects.toBeInstanceOf(
			BilibiliSpendingLimitError,
		);
		const amounts = payReplies(2);
		const results = await Promise.allSettled(
			Array.from({ length: 5 }, () => client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 50 })),
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
		expect(
			results.filter(
				(r) => r.status === 'rejected' && r.reason instanceof BilibiliSpendingLimitError,
			),
		).toHaveLength(3);
		expect(amounts).toEqual([50, 50]);
	});

	it('limits are whole numbers from 2 to 1,000,000; there is no "off"', () => {
		for (const bad of [0, 1, -1, NaN, Infinity, 1_000_001, 2.5, '1e3', null]) {
			expect(() => guarded({ maxPer24h: bad as never })).toThrow(
				/Invalid spendingLimits\.maxPer24h/,
			);
			expect(() => guarded({ maxPerCharge: bad as never })).toThrow(
				/Invalid spendingLimits\.maxPerCharge/,
			);
		}
	});

	it('the ledger keeps accounts apart and forgets entries older than 24 hours', () => {
		const ledger = new SpendingLedger();
		const limits = { maxPerCharge: 50, maxPer24h: 60 };
		ledger.reserve('a', 50, limits, 0);
		expect(ledger.spent('a', 1)).toBe(50);
		expect(ledger.spent('b', 1)).toBe(0);
		expect(() => ledger.reserve('a', 20, limits, 24 * 3600_000 - 1)).toThrow(
			BilibiliSpendingLimitError,
		);
		expect(ledger.spent('a', 24 * 3600_000)).toBe(0);
	});

	it('restores what a store kept once, skipping charges already counted and records older than 24 hours', () => {
		const ledger = new SpendingLedger();
		const limits = { maxPerCharge: 50, maxPer24h: 100 };
		const now = 48 * 3600_000;
		ledger.reserve(['mid:1', 'sessdata:x'], 10, limits, now - 1000);
		const kept = ledger.records(['mid:1'], now);
		expect(kept).toEqual([{ id: expect.any(String), at: now - 1000, bp: 10 }]);
		const restarted = new SpendingLedger();
		const stored = [
			...kept,
			{ id: 'old', at: now - 24 * 3600_000, bp: 40 },
			{ id: 'bad', at: now, bp: -5 },
			'not a record',
		];
		restarted.restore(['mid:1'], stored, now);
		// A second client of the account (a redeploy) loads the same file: nothing counted twice.
		restarted.restore(['sessdata:x', 'mid:1'], stored, now);
		expect(restarted.spent('sessdata:x', now)).toBe(10);
		expect(() => restarted.reserve('mid:1', 91, { ...limits, maxPerCharge: 100 }, now)).toThrow(
			BilibiliSpendingLimitError,
		);
	});
});
