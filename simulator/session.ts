/**
 * The web cookie refresh (cookie-refresh.md), with the simulator's own key pair instead of
 * Bilibili's: cookie/info says whether a refresh is due, the correspond page turns a fresh
 * correspondPath into refresh_csrf, cookie/refresh makes a new session (both work), and
 * confirm/refresh ends the old one, whose cookies then answer -101.
 */
import { constants, privateDecrypt, randomBytes } from 'node:crypto';
import { fail, ok, type Route } from './handlers';

/** How long a correspondPath's timestamp stays usable (Bilibili: "only briefly"). */
const CORRESPOND_VALID_MS = 5 * 60_000;
const NOT_FOUND = '<!DOCTYPE html><html><body><h1>404</h1></body></html>';

export function sessionRoutes(privateKey: string): Route[] {
	return [
		{
			method: 'GET',
			path: '/x/passport-login/web/cookie/info',
			handle: ({ state, query, session }) => {
				if (query.get('csrf') !== session!.bili_jct) return fail(-111, 'csrf 校验失败');
				return ok({ refresh: state.refreshDue, timestamp: state.now() });
			},
		},
		{
			method: 'GET',
			path: '/correspond/1/',
			prefix: true,
			handle: (ctx) => {
				const hex = ctx.path.slice('/correspond/1/'.length);
				let text = '';
				try {
					text = privateDecrypt(
						{ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
						Buffer.from(hex, 'hex'),
					).toString('utf8');
				} catch {
					text = '';
				}
				const ts = Number(/^refresh_(\d+)$/.exec(text)?.[1]);
				if (!ts || Math.abs(ctx.state.now() - ts) > CORRESPOND_VALID_MS) {
					ctx.page = { status: 404, html: NOT_FOUND };
					return {};
				}
				const csrf = randomBytes(16).toString('hex');
				ctx.session!.refresh_csrf = csrf;
				ctx.page = {
					status: 200,
					html: `<!DOCTYPE html><html><body><div id="1-name">${csrf}</div><div id="1-date">${ts}</div></body></html>`,
				};
				return {};
			},
		},
		{
			method: 'POST',
			path: '/x/passport-login/web/cookie/refresh',
			csrf: true,
			handle: (ctx) => {
				const { state, form } = ctx;
				const old = ctx.session!;
				if (!old.refresh_csrf || form.refresh_csrf !== old.refresh_csrf)
					return fail(86095, 'refresh_csrf 错误或 refresh_token 与 cookie 不匹配');
				if (form.refresh_token !== old.refresh_token)
					return fail(86095, 'refresh_csrf 错误或 refresh_token 与 cookie 不匹配');
				old.refresh_csrf = undefined;
				const spentToken = old.refresh_token;
				// Spent by its first use, as on Bilibili: a second refresh with it is refused.
				old.refresh_token = `spent:${randomBytes(8).toString('hex')}`;
				const next = {
					SESSDATA: `${randomBytes(8).toString('hex')}%2C${Math.floor(state.now() / 1000) + 180 * 86400}%2Csim*`,
					bili_jct: randomBytes(16).toString('hex'),
					refresh_token: randomBytes(16).toString('hex'),
					valid: true,
					replaces: old.SESSDATA,
					replacesToken: spentToken,
				};
				state.sessions.set(next.SESSDATA, next);
				state.refreshDue = false;
				const cookie = (name: string, value: string) =>
					`${name}=${value}; Path=/; Domain=bilibili.com; Max-Age=15552000; Secure`;
				const lines = [
					`${cookie('SESSDATA', next.SESSDATA)}; HttpOnly`,
					cookie('bili_jct', next.bili_jct),
					cookie('DedeUserID', String(state.mid)),
					cookie('DedeUserID__ckMd5', '2f6c2b3e0a1d9c8b'),
					cookie('sid', 'simsid02'),
				];
				ctx.setCookies = state.refreshAnswer.setCookies?.(lines) ?? lines;
				const status = state.refreshAnswer.status ?? 0;
				return ok({
					status,
					message: status ? '刷新失败' : '',
					refresh_token: next.refresh_token,
				});
			},
		},
		{
			method: 'POST',
			path: '/x/passport-login/web/confirm/refresh',
			csrf: true,
			handle: ({ state, form, session }) => {
				const replaced = session!.replaces ? state.sessions.get(session!.replaces) : undefined;
				if (!replaced || form.refresh_token !== session!.replacesToken)
					return fail(-400, '请求错误');
				replaced.valid = false;
				session!.replaces = undefined;
				session!.replacesToken = undefined;
				return ok();
			},
		},
	];
}
