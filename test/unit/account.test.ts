import nock from 'nock';
import { BilibiliValidationError } from '../../index';
import * as ex from '../fixtures/examples';
import { API, COOKIES, form, PASSPORT, unitClient, useNock, WWW } from '../helpers/nockClient';

useNock();

describe('account reads', () => {
	it.each([
		['getProfile', API, '/x/member/web/account', ex.accountProfile, ex.accountProfile.data],
		['getDailyExpTasks', API, '/x/member/web/exp/reward', ex.expReward, ex.expReward.data],
		['getTodayCoinExp', WWW, '/plus/account/exp.php', ex.expPhp, { number: 20 }],
		['getVipInfo', API, '/x/vip/web/user/info', ex.vipInfo, ex.vipInfo.data],
		['getSecurityInfo', PASSPORT, '/web/site/user/info', ex.passportInfo, ex.passportInfo.data],
		[
			'getRealnameStatus',
			API,
			'/x/member/realname/status',
			ex.realnameStatus,
			ex.realnameStatus.data,
		],
		[
			'getRealnameDetails',
			API,
			'/x/member/realname/apply/status',
			ex.realnameApply,
			ex.realnameApply.data,
		],
		['getCoinLog', API, '/x/member/web/coin/log', ex.coinLog, ex.coinLog.data],
	] as const)('%s reads %s%s', async (fn, host, path, answer, expected) => {
		nock(host).get(path).reply(200, answer);
		const result = await (unitClient().account[fn] as () => Promise<unknown>)();
		expect(result).toEqual(expected);
	});

	it.each(['getTodayCoinExp', 'getSecurityInfo'] as const)(
		'%s sends DedeUserID and refuses to run without it',
		async (fn) => {
			let cookie = '';
			const host = fn === 'getTodayCoinExp' ? WWW : PASSPORT;
			nock(host)
				.matchHeader('cookie', (v) => ((cookie = String(v)), true))
				.get(/.*/)
				.reply(200, fn === 'getTodayCoinExp' ? ex.expPhp : ex.passportInfo);
			await unitClient().account[fn]();
			expect(cookie).toContain('DedeUserID=293793435');

			const { DedeUserID: _omit, ...noDede } = COOKIES;
			const err = await unitClient({ credentials: noDede })
				.account[fn]()
				.catch((e) => e);
			expect(err).toBeInstanceOf(BilibiliValidationError);
			expect(err.message).toMatch(/DedeUserID/);
		},
	);

	it('explains -101 from the member center', async () => {
		nock(API).get('/x/member/web/exp/reward').reply(200, ex.failure(-101, '账号未登录'));
		await expect(unitClient().account.getDailyExpTasks()).rejects.toMatchObject({
			code: -101,
			bilibiliMessage: '账号未登录',
		});
	});
});

describe('account.updateSignature', () => {
	it('posts user_sign with csrf; 70 characters count as characters, not bytes', async () => {
		const sign = '签'.repeat(69) + '😀';
		let body: Record<string, string> = {};
		nock(API)
			.post('/x/member/web/sign/update', (b) => ((body = form(b)), true))
			.reply(200, ex.signOk);
		await unitClient().account.updateSignature(sign);
		expect(body).toEqual({ user_sign: sign, csrf: COOKIES.bili_jct });
	});

	it('accepts an empty signature (clears it)', async () => {
		nock(API)
			.post('/x/member/web/sign/update', { user_sign: '', csrf: COOKIES.bili_jct })
			.reply(200, ex.signOk);
		await unitClient().account.updateSignature('');
	});

	it('refuses 71 characters before sending', async () => {
		await expect(unitClient().account.updateSignature('a'.repeat(71))).rejects.toThrow(
			'Invalid user_sign: expected at most 70 characters, got 71 characters',
		);
	});

	it.each([
		[40015, '签名包含敏感词', /sensitive words/],
		[40021, '签名不能包含表情图片', /emoji/],
		[40022, '签名过长', /too long/],
		[-111, 'csrf校验失败', /bili_jct/],
	])('explains %d', async (code, zh, en) => {
		nock(API).post('/x/member/web/sign/update').reply(200, ex.failure(code, zh));
		const err = await unitClient()
			.account.updateSignature('hi')
			.catch((e) => e);
		expect(err.code).toBe(code);
		expect(err.message).toMatch(en);
		expect(err.message).toContain(zh);
	});

	it('needs bili_jct, as every POST does', async () => {
		const { bili_jct: _omit, ...noCsrf } = COOKIES;
		await expect(unitClient({ credentials: noCsrf }).account.updateSignature('hi')).rejects.toThrow(
			/bili_jct/,
		);
	});
});
