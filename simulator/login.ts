/** The web QR login endpoints (login-qr.md): generate a key, poll it until the app confirms. */
import type { Route } from './handlers';
import { ok } from './handlers';

const WAITING: Record<string, [number, string]> = {
	waiting: [86101, '未扫码'],
	scanned: [86090, '二维码已扫码未确认'],
	expired: [86038, '二维码已失效'],
	used: [86038, '二维码已失效'],
	unknown: [86038, '二维码已失效'],
};

export const LOGIN_ROUTES: Route[] = [
	{
		method: 'GET',
		path: '/x/passport-login/web/qrcode/generate',
		anonymous: true,
		handle: ({ state }) => {
			const { key } = state.createLogin();
			return ok({
				url: `https://account.bilibili.com/h5/account-h5/auth/scan-web?navhide=1&callback=close&qrcode_key=${key}&from=`,
				qrcode_key: key,
			});
		},
	},
	{
		method: 'GET',
		path: '/x/passport-login/web/qrcode/poll',
		anonymous: true,
		handle: (ctx) => {
			const key = ctx.query.get('qrcode_key') ?? '';
			const state = ctx.state.loginState(key);
			if (state !== 'confirmed') {
				const [code, message] = WAITING[state];
				return ok({ url: '', refresh_token: '', timestamp: 0, code, message });
			}
			ctx.state.logins.get(key)!.state = 'used';
			const { SESSDATA, bili_jct, DedeUserID } = ctx.state.credentials;
			const expires = Math.floor(ctx.state.now() / 1000) + 180 * 24 * 3600;
			// As Bilibili: the cookies both as Set-Cookie headers and in the cross-domain URL's query.
			const cookie = (name: string, value: string, httpOnly = false) =>
				`${name}=${value}; Path=/; Domain=bilibili.com; Expires=${new Date(expires * 1000).toUTCString()}${httpOnly ? '; HttpOnly' : ''}; Secure`;
			ctx.setCookies = [
				cookie('SESSDATA', SESSDATA, true),
				cookie('bili_jct', bili_jct),
				cookie('DedeUserID', String(DedeUserID)),
				cookie('DedeUserID__ckMd5', '2f6c2b3e0a1d9c8b'),
				cookie('sid', 'simsid01'),
			];
			const query = new URLSearchParams({
				DedeUserID: String(DedeUserID),
				DedeUserID__ckMd5: '2f6c2b3e0a1d9c8b',
				Expires: String(expires),
				SESSDATA: decodeURIComponent(SESSDATA),
				bili_jct,
				gourl: 'https://www.bilibili.com',
			});
			return ok({
				url: `https://passport.biligame.com/x/passport-login/web/crossDomain?${query}`,
				refresh_token: 'sim-refresh-token',
				timestamp: ctx.state.now(),
				code: 0,
				message: '',
			});
		},
	},
];
