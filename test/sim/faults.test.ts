import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testRuntime } from '../helpers/runtimes';
import {
	BilibiliApiError,
	BilibiliClient,
	BilibiliOutcomeUnknownError,
	BilibiliRiskControlError,
} from '../../index';
import { accountKeys, processLedger } from '../../client/spending';
import type { Fault } from '../../simulator';
import { simClient, useSimulator } from '../helpers/sim';

const ctx = useSimulator();
/** What this process's spending ledger counts for the simulated account. */
const spentToday = () =>
	processLedger.spent(accountKeys(ctx.sim.credentials.SESSDATA, ctx.sim.credentials.DedeUserID));
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
const PROFILE = '/x/member/web/account';
// Generous against a loaded CI machine: only the injected slow answers may time out.
const TIMEOUT_MS = 1000;
const SLOW_MS = 1600;

const faults: Array<[string, Fault]> = [
	['HTTP 412', { type: 'http412', times: 2 }],
	['code -412', { type: 'code', code: -412, times: 2 }],
	['HTTP 500', { type: 'http500', times: 2 }],
	['an HTML body', { type: 'html', times: 2 }],
	['a dropped connection', { type: 'drop', times: 2 }],
	['a slow answer (timeout)', { type: 'slow', delayMs: SLOW_MS, times: 2 }],
];

describe('idempotent GETs recover from injected faults', () => {
	it.each(faults)('%s', async (_name, fault) => {
		ctx.sim.injectFault({ ...fault, path: PROFILE });
		const profile = await simClient(ctx, { timeoutMs: TIMEOUT_MS }).account.getProfile();
		expect(profile.mid).toBe(293793435);
		expect(ctx.sim.requestsTo(PROFILE)).toHaveLength(3);
	});
});

describe('a charge meets a fault and is sent exactly once', () => {
	it.each<[string, Fault, 'unknown' | 'rejected', number]>([
		[
			'answer lost after charging (dropped connection)',
			{ type: 'drop', after: true },
			'unknown',
			98,
		],
		['slow answer past the timeout', { type: 'slow', delayMs: SLOW_MS }, 'unknown', 98],
		['HTTP 500 after charging', { type: 'http500', after: true }, 'unknown', 98],
		['gateway HTML page', { type: 'html', after: true }, 'unknown', 98],
		['code -500 after charging', { type: 'code', code: -500, after: true }, 'unknown', 98],
		['code -504 (service-call timeout)', { type: 'code', code: -504 }, 'unknown', 100],
		[
			'HTTP 502 with a JSON body',
			{ type: 'body', status: 502, body: { code: -412 } },
			'unknown',
			100,
		],
		[
			'code -101 (not logged in: documented refusal)',
			{ type: 'code', code: -101 },
			'rejected',
			100,
		],
	])('%s', async (_name, fault, outcome, balanceAfter) => {
		ctx.sim.injectFault({ ...fault, path: PAY_QUICK });
		const err = await simClient(ctx, { timeoutMs: TIMEOUT_MS })
			.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 })
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliApiError);
		expect(err instanceof BilibiliOutcomeUnknownError).toBe(outcome === 'unknown');
		expect(err.retryable).toBe(false);
		if (outcome === 'unknown') {
			expect(err.message).toContain('check the order history before charging again');
			// Socket codes stay in `detail`: n8n would swap a message naming one for "retry immediately".
			expect(err.message).not.toMatch(/\bE[A-Z]{4,}\b/);
		}
		// Let a slow answer finish on the simulator before counting.
		await new Promise((r) => setTimeout(r, fault.type === 'slow' ? SLOW_MS - TIMEOUT_MS + 200 : 0));
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
		expect(ctx.sim.state.balance).toBe(balanceAfter);
	});

	// Risk control turns these away before the charge service sees them (Bilibili's general codes): a
	// definite refusal, its B-coins back in the budget, no advice to check the order history.
	it.each<[string, Fault, number]>([
		['code -412 in JSON', { type: 'code', code: -412 }, 200],
		['HTTP 412 with the gateway page', { type: 'http412' }, 412],
		[
			'HTTP 412 with JSON code -412',
			{ type: 'body', status: 412, body: { code: -412, message: '请求被拦截' } },
			412,
		],
	])('%s is a refusal: nothing charged, the budget given back', async (_name, fault, status) => {
		const client = simClient(ctx);
		const before = spentToday();
		ctx.sim.injectFault({ ...fault, path: PAY_QUICK });
		const err = await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 }).catch((e) => e);
		expect(err).not.toBeInstanceOf(BilibiliOutcomeUnknownError);
		expect(err).toMatchObject({ code: -412, httpStatus: status, retryable: false });
		expect(err.message).toContain('nothing was charged');
		expect(err.message).not.toContain('order history');
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
		expect(ctx.sim.state.balance).toBe(100);
		// The 5 B-coins are back in the 24-hour budget.
		expect(spentToday()).toBe(before);
	});

	// Under HTTP 412, JSON that is not a risk-control code may be the charge service's own answer.
	it.each<[string, Fault]>([
		[
			'HTTP 412 with JSON code 0 and a completed charge',
			{
				type: 'body',
				status: 412,
				body: { code: 0, message: '0', data: { status: 4, order_no: 'ORDER412' } },
			},
		],
		['HTTP 412 with JSON code 0', { type: 'body', status: 412, body: { code: 0, data: {} } }],
	])('%s is an unknown outcome, its B-coins kept counted', async (_name, fault) => {
		const client = simClient(ctx);
		const before = spentToday();
		ctx.sim.injectFault({ ...fault, path: PAY_QUICK });
		const err = await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 }).catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliOutcomeUnknownError);
		expect(err).toMatchObject({ retryable: false });
		expect(err.message).toContain('check the order history before charging again');
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
		expect(spentToday()).toBe(before + 5);
	});

	it('code -352 is a risk-control refusal with its advice: nothing charged, the budget given back', async () => {
		const client = simClient(ctx);
		const before = spentToday();
		ctx.sim.injectFault({ type: 'code', code: -352, path: PAY_QUICK });
		const err = await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 5 }).catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliRiskControlError);
		expect(err).toMatchObject({ code: -352, retryable: false });
		expect(err.message).toContain('buvid3');
		expect(err.message).not.toContain('order history');
		expect(ctx.sim.state.balance).toBe(100);
		expect(spentToday()).toBe(before);
	});

	it('a refused connection is a plain network error: nothing was sent, nothing charged', async () => {
		const closed = http.createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((r) => closed.close(r));
		const client = new BilibiliClient({
			credentials: ctx.sim.credentials,
			baseUrl: `http://127.0.0.1:${port}`,
			rateLimit: false,
			runtime: testRuntime(ctx.sim.credentials, `http://127.0.0.1:${port}`),
		});
		ctx.clients.push(client);
		const err = await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 }).catch((e) => e);
		expect(err).not.toBeInstanceOf(BilibiliOutcomeUnknownError);
		expect(err).toMatchObject({
			code: 'NETWORK',
			message: expect.stringContaining('connection was refused'),
			detail: expect.stringContaining('ECONNREFUSED'),
		});
	});

	it('a reply POST is not retried after a lost answer, and says why', async () => {
		const remark = ctx.sim.addRemark({ msg: 'hi' });
		ctx.sim.injectFault({ type: 'drop', after: true, path: '/x/web/elec/remark/reply' });
		const err = await simClient(ctx)
			.remarks.reply({ id: remark.id, msg: 'thanks' })
			.catch((e) => e);
		expect(err).toMatchObject({
			code: 'NETWORK',
			retryable: false,
			message: expect.stringContaining('may have reached Bilibili'),
		});
		expect(ctx.sim.requestsTo('/x/web/elec/remark/reply')).toHaveLength(1);
	});
});
