/**
 * The spending guard as properties: however a user writes one login (percent-encoded or not, with or
 * without DedeUserID, the mid with leading zeros), it has one budget; and a failed charge gives its
 * B-coins back only when the answer proves nothing moved.
 */
import fc from 'fast-check';
import nock from 'nock';
import {
	BilibiliClient,
	BilibiliOutcomeUnknownError,
	BilibiliSpendingLimitError,
} from '../../index';
import { accountKeys, processLedger } from '../../client/spending';
import * as ex from '../fixtures/examples';
import { API, COOKIES, useNock } from '../helpers/nockClient';

useNock();

const PAY = '/x/ugcpay/web/v2/trade/elec/pay/quick';
let nextAccount = 1;

/** A fresh SESSDATA shaped like Bilibili's (hash, expiry, a `*` part), and its mid. */
function freshLogin() {
	const n = nextAccount++;
	return {
		raw: `a1b2c3d4,17999${String(n).padStart(5, '0')},e5f6*${n}1`,
		mid: String(700_000_000 + n),
	};
}

/** One way a user might paste the same SESSDATA: each `,` and `*` as itself or percent-encoded. */
const spelling = (raw: string) =>
	fc
		.array(fc.constantFrom(0, 1, 2), { minLength: raw.length, maxLength: raw.length })
		.map((choices) =>
			[...raw]
				.map((ch, i) => {
					const code = ch === ',' ? '2C' : ch === '*' ? '2A' : undefined;
					if (!code) return ch;
					return [ch, `%${code}`, `%${code.toLowerCase()}`][choices[i]];
				})
				.join(''),
		);

const midSpelling = (mid: string) =>
	fc.constantFrom<string | undefined>(undefined, mid, `0${mid}`, `00${mid}`, ` ${mid} `);

function client(SESSDATA: string, DedeUserID: string | undefined, maxPer24h: number) {
	return new BilibiliClient({
		credentials: {
			SESSDATA,
			bili_jct: COOKIES.bili_jct,
			...(DedeUserID === undefined ? {} : { DedeUserID }),
		},
		rateLimit: false,
		retry: { retries: 0 },
		spendingLimits: { maxPerCharge: 50, maxPer24h },
	});
}

describe('one login, one budget', () => {
	it('any spelling of one session, with or without its mid, shares one 24-hour budget', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constant(null).chain(() => {
					const login = freshLogin();
					return fc.record({
						login: fc.constant(login),
						uses: fc.array(fc.tuple(spelling(login.raw), midSpelling(login.mid)), {
							minLength: 2,
							maxLength: 8,
						}),
					});
				}),
				async ({ uses }) => {
					let sent = 0;
					nock(API)
						.post(PAY)
						.times(uses.length)
						.reply(200, () => (sent++, ex.payQuickOk));
					let refused = 0;
					for (const [SESSDATA, mid] of uses) {
						const c = client(SESSDATA, mid, 100);
						await c.charge.chargeWithBcoin({ up_mid: 1, bp_num: 50 }).catch((err) => {
							if (!(err instanceof BilibiliSpendingLimitError)) throw err;
							refused++;
						});
						c.close();
					}
					nock.cleanAll();
					// 100 per 24 hours at 50 a charge: two charges, whichever spellings were used.
					expect(sent).toBe(2);
					expect(refused).toBe(uses.length - 2);
				},
			),
			{ numRuns: 40 },
		);
	});

	it('a second login of the same mid shares the budget with the first', async () => {
		const a = freshLogin();
		const b = freshLogin();
		nock(API).post(PAY).times(2).reply(200, ex.payQuickOk);
		const first = client(a.raw, a.mid, 100);
		const second = client(b.raw, a.mid, 100);
		const third = client(a.raw, undefined, 100);
		await first.charge.chargeWithBcoin({ up_mid: 1, bp_num: 50 });
		await second.charge.chargeWithBcoin({ up_mid: 1, bp_num: 50 });
		// The first login without its mid is still the same account: both charges count.
		await expect(third.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 })).rejects.toMatchObject({
			limit: 'maxPer24h',
			spent24h: 100,
		});
		for (const c of [first, second, third]) c.close();
	});
});

type Answer = { http: number; body: object | string };

/** What Bilibili (or something in between) might answer a charge, and whether it proves nothing moved. */
const answers: Array<[string, Answer, boolean]> = [
	['-101 not logged in', { http: 200, body: ex.failure(-101, '账号未登录') }, true],
	['-111 csrf', { http: 200, body: ex.failure(-111, 'csrf校验失败') }, true],
	['-400 bad request', { http: 200, body: ex.failure(-400, '请求错误') }, true],
	['88201 below minimum', { http: 200, body: ex.failure(88201, '低于充电下限') }, true],
	['800409904 balance', { http: 200, body: ex.failure(800409904, 'B币余额不足') }, true],
	['code 0, status -4', { http: 200, body: ex.payQuickNoBalance }, true],
	['-500 server error', { http: 200, body: ex.failure(-500, '服务器错误') }, false],
	['-504 service-call timeout', { http: 200, body: ex.failure(-504, '服务调用超时') }, false],
	['20004 charge service error', { http: 200, body: ex.failure(20004, '充电服务异常') }, false],
	['-352 risk control', { http: 200, body: ex.failure(-352, '风控校验失败') }, true],
	['-412 blocked', { http: 200, body: ex.failure(-412, '请求被拦截') }, true],
	['HTTP 412 with -412', { http: 412, body: ex.failure(-412, '请求被拦截') }, true],
	['HTTP 412 gateway page', { http: 412, body: '<html>412 Precondition Failed</html>' }, true],
	['-412 with HTTP 502', { http: 502, body: ex.failure(-412, '请求被拦截') }, false],
	['-101 with HTTP 502', { http: 502, body: ex.failure(-101, '账号未登录') }, false],
	['HTTP 408', { http: 408, body: '<html>Request Timeout</html>' }, false],
	['HTTP 429 with a paid order in the body', { http: 429, body: ex.payQuickOk }, false],
	['HTTP 500 with a refusal in the body', { http: 500, body: ex.payQuickNoBalance }, false],
	['code 0 without data', { http: 200, body: { code: 0, message: '0' } }, false],
	['code 0, status 0', { http: 200, body: { code: 0, data: { status: 0 } } }, false],
	[
		'nested 10,000 levels deep',
		{ http: 200, body: `{"code":0,"data":${'['.repeat(10_000)}${']'.repeat(10_000)}}` },
		false,
	],
];

describe('refunds only on proof', () => {
	it('gives B-coins back only for answers on the allow-list; every other failure stays counted as unknown', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.constantFrom(...answers), { minLength: 1, maxLength: 5 }),
				async (sequence) => {
					const login = freshLogin();
					const keys = accountKeys(login.raw, login.mid);
					const c = client(login.raw, login.mid, 1_000);
					let counted = 0;
					for (const [name, answer, proves] of sequence) {
						nock(API)
							.post(PAY)
							.reply(
								answer.http,
								answer.body,
								typeof answer.body === 'string' ? { 'Content-Type': 'text/html' } : undefined,
							);
						const err = await c.charge.chargeWithBcoin({ up_mid: 1, bp_num: 10 }).then(
							() => undefined,
							(e: unknown) => e,
						);
						if (!proves) counted += 10;
						expect([name, processLedger.spent(keys)]).toEqual([name, counted]);
						expect([name, err instanceof BilibiliOutcomeUnknownError]).toEqual([name, !proves]);
						// Never a bare RangeError or TypeError: always the client's typed error.
						expect((err as Error).name).toMatch(/^Bilibili/);
					}
					c.close();
				},
			),
			{ numRuns: 40 },
		);
	});

	it('a charge that was never sent (the client was closed) gives its B-coins back', async () => {
		const login = freshLogin();
		const keys = accountKeys(login.raw, login.mid);
		const closed = client(login.raw, login.mid, 1_000);
		closed.close();
		await expect(closed.charge.chargeWithBcoin({ up_mid: 1, bp_num: 10 })).rejects.toMatchObject({
			code: 'ABORTED',
			notSent: true,
		});
		expect(processLedger.spent(keys)).toBe(0);
	});

	it('a QR code that may use the balance is counted; one that may not is not', async () => {
		const login = freshLogin();
		const keys = accountKeys(login.raw, login.mid);
		const c = client(login.raw, login.mid, 30);
		nock(API)
			.post('/x/ugcpay/web/v2/trade/elec/pay/qr_code/create')
			.times(2)
			.reply(200, ex.qrCreate);
		await c.charge.createQrPay({ up_mid: 1, bp_num: 20 });
		expect(processLedger.spent(keys)).toBe(0);
		await c.charge.createQrPay({ up_mid: 1, bp_num: 20, is_bp_remains_prior: true });
		expect(processLedger.spent(keys)).toBe(20);
		await expect(
			c.charge.createQrPay({ up_mid: 1, bp_num: 20, is_bp_remains_prior: true }),
		).rejects.toBeInstanceOf(BilibiliSpendingLimitError);
		c.close();
	});
});
