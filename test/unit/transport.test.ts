import nock from 'nock';
import {
	BilibiliApiError,
	BilibiliClient,
	BilibiliRiskControlError,
	BilibiliValidationError,
} from '../../index';
import { HostLimiter } from '../../client/transport/limiter';
import { timerSleep } from '../../client/runtime/node';
import { backoffDelay, pauseWith } from '../../client/transport/timing';
import * as ex from '../fixtures/examples';
import { API, COOKIES, MEMBER, unitClient, useNock } from '../helpers/nockClient';

useNock();

const PROFILE = '/x/member/web/account';

describe('request headers and hosts', () => {
	it('sends browser-like headers and every given cookie', async () => {
		let headers: Record<string, unknown> = {};
		nock(API)
			.get(PROFILE)
			.reply(function () {
				headers = this.req.headers;
				return [200, ex.accountProfile];
			});
		await unitClient({
			credentials: { ...COOKIES, buvid3: 'B1D2-buvid-infoc' },
		}).account.getProfile();
		expect(headers['user-agent']).toMatch(/Mozilla\/5\.0/);
		expect(headers.referer).toBe('https://www.bilibili.com/');
		expect(headers.origin).toBe('https://www.bilibili.com');
		expect(headers.cookie).toBe(
			`SESSDATA=${COOKIES.SESSDATA}; bili_jct=${COOKIES.bili_jct}; DedeUserID=293793435; buvid3=B1D2-buvid-infoc`,
		);
	});

	it('sends every endpoint to one origin when baseUrl is set', async () => {
		nock('http://proxy.local:8080')
			.get(PROFILE)
			.reply(200, ex.accountProfile)
			.get('/x/web/elec/remark/list')
			.query(true)
			.reply(200, ex.remarkList);
		const client = unitClient({ baseUrl: 'http://proxy.local:8080/' });
		await client.account.getProfile();
		await client.remarks.list();
	});

	it('refuses a baseUrl that is not http(s)', () => {
		expect(() => new BilibiliClient({ credentials: COOKIES, baseUrl: 'ftp://x' })).toThrow(
			'Invalid baseUrl: expected an http:// or https:// URL, got "ftp://x"',
		);
	});
});

describe('credentials', () => {
	it('needs SESSDATA', () => {
		expect(() => new BilibiliClient({ credentials: { SESSDATA: '' } })).toThrow(
			'Invalid SESSDATA: expected the SESSDATA cookie value, got nothing',
		);
	});

	it('accepts a pasted "SESSDATA=…" and a decoded comma, sending the value the browser would', async () => {
		let cookie = '';
		nock(API)
			.matchHeader('cookie', (v) => ((cookie = String(v)), true))
			.get(PROFILE)
			.reply(200, ex.accountProfile);
		await unitClient({
			credentials: { SESSDATA: ' SESSDATA=abc,123,xyz*11 ' },
		}).account.getProfile();
		expect(cookie).toBe('SESSDATA=abc%2C123%2Cxyz*11');
	});

	it('refuses a cookie with a semicolon without echoing it', () => {
		let err: BilibiliValidationError | undefined;
		try {
			new BilibiliClient({ credentials: { SESSDATA: 'secret-value-1; other=2' } });
		} catch (e) {
			err = e as BilibiliValidationError;
		}
		expect(err).toBeInstanceOf(BilibiliValidationError);
		expect(err?.message).toContain('SESSDATA');
		expect(err?.message).not.toContain('secret-value-1');
	});

	it.each([
		['SESSDATA', { SESSDATA: 'secret会话value' }, {}],
		['bili_jct', { SESSDATA: 'abcd', bili_jct: 'secret\u00e9csrf' }, {}],
		['buvid3', { SESSDATA: 'abcd', buvid3: 'secret设备id' }, {}],
		['userAgent', { SESSDATA: 'abcd' }, { userAgent: 'Mozilla/5.0 secret浏览器' }],
		['userAgent', { SESSDATA: 'abcd' }, { userAgent: 'Mozilla/5.0\r\nX-Secret: 1' }],
	])(
		'refuses a %s that HTTP cannot carry when the client is built, naming the field, not the value',
		(field, credentials, options) => {
			const scope = nock(API).get(/.*/).reply(200, ex.accountProfile);
			let err: BilibiliValidationError | undefined;
			try {
				new BilibiliClient({ credentials, ...options });
			} catch (e) {
				err = e as BilibiliValidationError;
			}
			expect(err).toBeInstanceOf(BilibiliValidationError);
			expect(err?.field).toBe(field);
			expect(err?.message).toMatch(/ASCII/);
			expect(`${err?.message}\n${err?.stack}`).not.toMatch(/secret/i);
			expect(scope.isDone()).toBe(false);
			nock.cleanAll();
		},
	);

	it('refuses a non-numeric DedeUserID', () => {
		expect(
			() => new BilibiliClient({ credentials: { SESSDATA: 'abcd', DedeUserID: 'me' } }),
		).toThrow(/DedeUserID/);
	});
});

describe('retries', () => {
	it.each([
		['HTTP 500', (s: nock.Interceptor) => s.reply(500, 'Internal Server Error')],
		[
			'HTTP 412',
			(s: nock.Interceptor) => s.reply(412, '<html>412</html>', { 'Content-Type': 'text/html' }),
		],
		['code -412', (s: nock.Interceptor) => s.reply(200, ex.failure(-412, '请求被拦截'))],
		[
			'code -799',
			(s: nock.Interceptor) => s.reply(200, ex.failure(-799, '请求过于频繁,请稍后再试')),
		],
		[
			'an HTML body',
			(s: nock.Interceptor) =>
				s.reply(200, '<!DOCTYPE html><html></html>', { 'Content-Type': 'text/html' }),
		],
	])('a GET recovers from %s', async (_name, fault) => {
		fault(nock(API).get(PROFILE).times(2));
		nock(API).get(PROFILE).reply(200, ex.accountProfile);
		const warnings: string[] = [];
		const profile = await unitClient({
			logger: { warn: (m) => warnings.push(m) },
		}).account.getProfile();
		expect(profile.mid).toBe(293793435);
		expect(warnings).toHaveLength(2);
		expect(warnings[0]).toMatch(/account.getProfile: .* \(attempt 1\/3\), retrying in \d+ ms/);
	});

	it('gives up after the configured attempts with the last error explained', async () => {
		nock(API).get(PROFILE).times(3).reply(200, ex.failure(-412, '请求被拦截'));
		const err = await unitClient()
			.account.getProfile()
			.catch((e) => e);
		expect(err).toMatchObject({ code: -412, retryable: true });
		expect(err.message).toContain('risk control');
	});

	it('never retries -352: one request, a risk-control error saying what helps', async () => {
		const scope = nock(API)
			.get(PROFILE)
			.once()
			.reply(200, {
				code: -352,
				message: '风控校验失败',
				ttl: 1,
				data: { v_voucher: 'voucher_x' },
			});
		const err = await unitClient()
			.account.getProfile()
			.catch((e) => e);
		expect(scope.isDone()).toBe(true);
		expect(err).toBeInstanceOf(BilibiliRiskControlError);
		expect(err).toMatchObject({ code: -352, retryable: false, captchaAsked: true });
		expect(err.message).toContain('风控校验失败');
		expect(err.message).toMatch(/buvid3.*bili_ticket.*captcha/);
	});

	it('does not retry a non-transient code', async () => {
		nock(API).get(PROFILE).once().reply(200, ex.failure(-101, '账号未登录'));
		await expect(unitClient().account.getProfile()).rejects.toMatchObject({ code: -101 });
	});

	it('never retries a POST, even a reply on HTTP 500', async () => {
		nock(MEMBER).post('/x/web/elec/remark/reply').once().reply(500, 'oops');
		const err = await unitClient()
			.remarks.reply({ id: 1, msg: 'x' })
			.catch((e) => e);
		expect(err).toMatchObject({ code: 'HTTP_ERROR', httpStatus: 500 });
	});

	it('explains a non-JSON answer instead of crashing on it', async () => {
		nock(API)
			.get(PROFILE)
			.times(3)
			.reply(200, '<!DOCTYPE html><title>出错啦</title>', { 'Content-Type': 'text/html' });
		const err = await unitClient()
			.account.getProfile()
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliApiError);
		expect(err.code).toBe('NOT_JSON');
		expect(err.message).toContain('answered an HTML page instead of JSON');
	});
});

describe('backoff', () => {
	it('grows exponentially, stays within the cap and jitters', () => {
		const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
		expect(backoffDelay(0, opts, () => 0)).toBe(50);
		expect(backoffDelay(0, opts, () => 1)).toBe(100);
		expect(backoffDelay(2, opts, () => 1)).toBe(400);
		expect(backoffDelay(10, opts, () => 1)).toBe(1000);
		expect(backoffDelay(10, opts, () => 0)).toBe(500);
	});
});

describe('HostLimiter', () => {
	it('never lets more than maxConcurrent run at once', async () => {
		const limiter = new HostLimiter(2, 0, pauseWith({ sleep: timerSleep }));
		let active = 0;
		let peak = 0;
		const task = async () => {
			await limiter.acquire();
			active++;
			peak = Math.max(peak, active);
			await new Promise((r) => setImmediate(r));
			active--;
			limiter.release();
		};
		await Promise.all(Array.from({ length: 10 }, task));
		expect(peak).toBe(2);
	});

	it('spaces request starts by minIntervalMs', async () => {
		const limiter = new HostLimiter(10, 30, pauseWith({ sleep: timerSleep }));
		const starts: number[] = [];
		await Promise.all(
			Array.from({ length: 4 }, async () => {
				await limiter.acquire();
				starts.push(Date.now());
				limiter.release();
			}),
		);
		starts.sort((a, b) => a - b);
		for (let i = 1; i < starts.length; i++)
			expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(28);
	});
});
