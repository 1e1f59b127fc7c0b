import { BILIBILI_CODES, BilibiliApiError, BilibiliOutcomeUnknownError } from '../../index';

describe('BilibiliApiError', () => {
	const documented = [
		-101, -111, -400, -412, -352, -500, -799, 88201, 88203, 800409904, 1000011, 1200201, 20004,
		40015, 40021, 40022,
	];

	it.each(documented)('explains code %d in English and keeps the Chinese meaning', (code) => {
		const err = new BilibiliApiError({ code, endpoint: 'x.y' });
		expect(err.explanation).toBe(BILIBILI_CODES[String(code)].en);
		expect(err.bilibiliMessage).toBe(BILIBILI_CODES[String(code)].zh);
		expect(err.message).toBe(
			`Bilibili ${code} on x.y: ${BILIBILI_CODES[String(code)].en} (${BILIBILI_CODES[String(code)].zh})`,
		);
	});

	it("prefers the server's own message over the table's", () => {
		const err = new BilibiliApiError({
			code: -101,
			endpoint: 'a.b',
			bilibiliMessage: '账号未登录!',
		});
		expect(err.bilibiliMessage).toBe('账号未登录!');
	});

	it('falls back to the table when the server says only "0"', () => {
		expect(
			new BilibiliApiError({ code: -400, endpoint: 'a.b', bilibiliMessage: '0' }).bilibiliMessage,
		).toBe('请求错误');
	});

	it('handles an unknown code', () => {
		const err = new BilibiliApiError({ code: 12345, endpoint: 'a.b', bilibiliMessage: '未知错误' });
		expect(err.message).toBe('Bilibili 12345 on a.b: Unknown Bilibili error (未知错误)');
		expect(err.retryable).toBe(false);
	});

	it('serialises to its useful fields', () => {
		const json = JSON.parse(
			JSON.stringify(
				new BilibiliApiError({
					code: 88203,
					endpoint: 'charge.sendChargeMessage',
					httpStatus: 200,
				}),
			),
		);
		expect(json).toMatchObject({
			name: 'BilibiliApiError',
			code: 88203,
			endpoint: 'charge.sendChargeMessage',
			httpStatus: 200,
		});
	});

	it('marks an unknown charge outcome as not retryable and says what to do', () => {
		const err = new BilibiliOutcomeUnknownError('charge.chargeWithBcoin', 'no answer');
		expect(err).toBeInstanceOf(BilibiliApiError);
		expect(err.retryable).toBe(false);
		expect(err.code).toBe('OUTCOME_UNKNOWN');
		expect(err.message).toContain('check the order history before charging again');
	});
});
