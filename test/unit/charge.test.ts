import nock from 'nock';
import {
	BilibiliApiError,
	BilibiliOutcomeUnknownError,
	BilibiliValidationError,
} from '../../index';
import * as ex from '../fixtures/examples';
import { API, COOKIES, form, unitClient, useNock } from '../helpers/nockClient';

useNock();

const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
const QR_CREATE = '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create';
const QR_STATUS = '/x/ugcpay/trade/elec/pay/order/status';
const MESSAGE = '/x/ugcpay/trade/elec/message';

describe('chargeWithBcoin (pay/quick)', () => {
	it('posts the documented form with csrf and cookies and returns the order', async () => {
		let body: Record<string, string> = {};
		let cookie = '';
		nock(API)
			.matchHeader('cookie', (v) => ((cookie = String(v)), true))
			.post(PAY_QUICK, (b) => ((body = form(b)), true))
			.reply(200, ex.payQuickOk);
		const result = await unitClient().charge.chargeWithBcoin({ up_mid: 293793435, bp_num: 2 });
		expect(result.order_no).toBe('BPRG5CEC3VUPOOANA540');
		expect(result.status).toBe(4);
		expect(body).toEqual({
			bp_num: '2',
			is_bp_remains_prior: 'true',
			up_mid: '293793435',
			otype: 'up',
			oid: '293793435',
			csrf: COOKIES.bili_jct,
		});
		expect(cookie).toContain(`SESSDATA=${COOKIES.SESSDATA}`);
	});

	it('charges from a video with its avid as oid', async () => {
		let body: Record<string, string> = {};
		nock(API)
			.post(PAY_QUICK, (b) => ((body = form(b)), true))
			.reply(200, ex.payQuickOk);
		await unitClient().charge.chargeWithBcoin({
			up_mid: '293793435',
			bp_num: '9999',
			otype: 'archive',
			oid: '170001',
			is_bp_remains_prior: false,
		});
		expect(body).toMatchObject({
			bp_num: '9999',
			otype: 'archive',
			oid: '170001',
			is_bp_remains_prior: 'false',
		});
	});

	it('treats code 0 with status -2 as a failed charge below the minimum', async () => {
		nock(API).post(PAY_QUICK).reply(200, ex.payQuickBelowMinimum);
		const err = await unitClient()
			.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 })
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliApiError);
		expect(err).toMatchObject({ code: 88201, chargeStatus: -2, retryable: false });
		expect(err.message).toMatch(/minimum/);
	});

	it('treats code 0 with status -4 as balance too low', async () => {
		nock(API).post(PAY_QUICK).reply(200, ex.payQuickNoBalance);
		const err = await unitClient()
			.charge.chargeWithBcoin({ up_mid: 1, bp_num: 99 })
			.catch((e) => e);
		expect(err).toMatchObject({ code: 800409904, chargeStatus: -4 });
		expect(err.message).toContain('B-coin balance too low');
		expect(err.message).toContain('B 币余额不足');
	});

	it.each([
		[-101, '账号未登录', /SESSDATA/],
		[-111, 'csrf校验失败', /bili_jct/],
		[-400, '请求错误', /Bad request/],
	])('maps code %d to an explained error', async (code, zh, en) => {
		nock(API).post(PAY_QUICK).reply(200, ex.failure(code, zh));
		const err = await unitClient()
			.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 })
			.catch((e) => e);
		expect(err).toMatchObject({ code, bilibiliMessage: zh, endpoint: 'charge.chargeWithBcoin' });
		expect(err.message).toMatch(en);
		expect(err.message).toContain(zh);
	});

	it.each([
		[{ up_mid: 1, bp_num: 1 }, 'bp_num', 'from 2 to 9999', 'got 1'],
		[{ up_mid: 1, bp_num: 10000 }, 'bp_num', 'from 2 to 9999', 'got 10000'],
		[{ up_mid: 1, bp_num: 2.5 }, 'bp_num', 'integer', 'got 2.5'],
		[{ up_mid: 1, bp_num: 'ten' }, 'bp_num', 'integer', 'got "ten"'],
		[{ up_mid: 0, bp_num: 2 }, 'up_mid', 'positive integer', 'got 0'],
		[{ up_mid: 'abc', bp_num: 2 }, 'up_mid', 'positive integer', 'got "abc"'],
		[{ up_mid: 1, bp_num: 2, otype: 'space' }, 'otype', '"up", "archive"', 'got "space"'],
		[{ up_mid: 1, bp_num: 2, otype: 'archive' }, 'oid', 'positive integer', 'got nothing'],
	])('refuses %j before sending anything', async (params, field, expected, given) => {
		const scope = nock(API).post(PAY_QUICK).reply(200, ex.payQuickOk);
		const err = await unitClient()
			.charge.chargeWithBcoin(params as never)
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliValidationError);
		expect(err.field).toContain(field);
		expect(err.message).toContain(expected);
		expect(err.message).toContain(given);
		expect(scope.isDone()).toBe(false);
		nock.cleanAll();
	});

	it('reports a timeout as outcome unknown', async () => {
		nock(API).post(PAY_QUICK).delay(2000).reply(200, ex.payQuickOk);
		const err = await unitClient({ timeoutMs: 100 })
			.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 })
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliOutcomeUnknownError);
	});

	it('reports a gateway HTML page (HTTP 502) as outcome unknown, not retried', async () => {
		nock(API)
			.post(PAY_QUICK)
			.once()
			.reply(502, '<html><body>Bad Gateway</body></html>', { 'Content-Type': 'text/html' });
		const err = await unitClient()
			.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 })
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliOutcomeUnknownError);
		expect(err.httpStatus).toBe(502);
	});

	it('does not retry a risk-control answer on a charge', async () => {
		const scope = nock(API).post(PAY_QUICK).once().reply(200, ex.failure(-352, '风控校验失败'));
		const err = await unitClient()
			.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 })
			.catch((e) => e);
		// -352 is Bilibili's refusal: a definite error keeping its risk-control advice, never retried.
		expect(err).not.toBeInstanceOf(BilibiliOutcomeUnknownError);
		expect(err).toMatchObject({ code: -352, retryable: false, name: 'BilibiliRiskControlError' });
		expect(err.message).not.toContain('order history');
		expect(scope.isDone()).toBe(true);
	});
});

describe('createQrPay', () => {
	it('posts to the v2 path with bp_num and returns the code with its expiry ten minutes ahead', async () => {
		let body: Record<string, string> = {};
		nock(API)
			.post(QR_CREATE, (b) => ((body = form(b)), true))
			.reply(200, ex.qrCreate);
		const before = Date.now();
		const code = await unitClient().charge.createQrPay({
			up_mid: 23215368,
			bp_num: 10,
			is_bp_remains_prior: false,
		});
		expect(body).toEqual({
			bp_num: '10',
			is_bp_remains_prior: 'false',
			up_mid: '23215368',
			otype: 'up',
			oid: '23215368',
			csrf: COOKIES.bili_jct,
		});
		expect(code.qr_token).toBe('c1cb1d95d2194ba58df6bb0f24ae1aaa');
		expect(code.qr_code_url).toContain('token=c1cb1d95d2194ba58df6bb0f24ae1aaa');
		const expires = Date.parse(code.expires_at) - before;
		expect(expires).toBeGreaterThanOrEqual(10 * 60_000);
		expect(expires).toBeLessThan(10 * 60_000 + 5_000);
	});

	it('explains -500', async () => {
		nock(API).post(QR_CREATE).reply(200, ex.failure(-500, '服务器错误'));
		await expect(unitClient().charge.createQrPay({ up_mid: 1, bp_num: 2 })).rejects.toMatchObject({
			code: -500,
			explanation: 'Bilibili server error',
		});
	});
});

describe('getQrPayStatus', () => {
	it.each([
		[ex.qrNotScanned, 'not_scanned', undefined],
		[ex.qrScanned, 'scanned', undefined],
		[ex.qrPaid, 'paid', 'BPTD36U3KP82I31RSSLG'],
		[ex.qrUnknownToken, 'invalid_or_expired', undefined],
	])('reads %j as %s', async (answer, state, order_no) => {
		nock(API).get(QR_STATUS).query({ qr_token: 'tok' }).reply(200, answer);
		const status = await unitClient().charge.getQrPayStatus('tok');
		expect(status.state).toBe(state);
		expect(status.order_no).toBe(order_no);
	});

	// After the code's time the answer drops the status yet keeps the order once paid; a status that
	// says failed or expired wins over an order number.
	it.each([
		[{ qr_token: 'tok', mid: 1, order_no: 'ORDER1' }, 'paid'],
		[{ qr_token: 'tok', mid: 1, order_no: 'ORDER1', status: 1 }, 'paid'],
		[{ qr_token: 'tok', mid: 1, order_no: 'ORDER1', status: -1 }, 'invalid_or_expired'],
		[{ qr_token: 'tok', mid: 1, order_no: 'ORDER1', status: 4 }, 'invalid_or_expired'],
	])('reads data %j with an order number as %s', async (data, state) => {
		nock(API).get(QR_STATUS).query({ qr_token: 'tok' }).reply(200, { code: 0, message: '0', data });
		const status = await unitClient().charge.getQrPayStatus('tok');
		expect(status.state).toBe(state);
	});

	it('needs a token', async () => {
		await expect(unitClient().charge.getQrPayStatus('  ')).rejects.toThrow(
			'Invalid qr_token: expected non-empty text',
		);
	});
});

describe('sendChargeMessage', () => {
	it('sends the order_no as order_id', async () => {
		let body: Record<string, string> = {};
		nock(API)
			.post(MESSAGE, (b) => ((body = form(b)), true))
			.reply(200, ex.messageOk);
		await unitClient().charge.sendChargeMessage({
			order_no: 'BPRG5CEC3VUPOOANA540',
			message: '支持一下大佬',
		});
		expect(body).toEqual({
			order_id: 'BPRG5CEC3VUPOOANA540',
			message: '支持一下大佬',
			csrf: COOKIES.bili_jct,
		});
	});

	it('explains 88203 (message already left)', async () => {
		nock(API).post(MESSAGE).reply(200, ex.failure(88203, '不能重复留言'));
		const err = await unitClient()
			.charge.sendChargeMessage({ order_no: 'X', message: 'hi' })
			.catch((e) => e);
		expect(err.code).toBe(88203);
		expect(err.message).toContain('already left');
		expect(err.message).toContain('不能重复留言');
	});

	it.each([
		[{ order_no: '', message: 'hi' }, 'order_no'],
		[{ order_no: 'X', message: '   ' }, 'message'],
	])('refuses %j', async (params, field) => {
		await expect(unitClient().charge.sendChargeMessage(params)).rejects.toMatchObject({
			name: 'BilibiliValidationError',
			field,
		});
	});
});
