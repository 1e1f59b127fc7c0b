/**
 * One handler per Bilibili endpoint, answering with the shapes of the api pages' examples.
 * Authentication (SESSDATA, DedeUserID) and csrf are checked by the server before these run.
 */
import { createHash, createHmac } from 'node:crypto';
import type { ParsedUpload } from './multipart';
import { SIM_AVATAR, SIM_UNAME, type SimRemark, type SimSession, type SimState } from './state';

export interface HandlerContext {
	state: SimState;
	query: URLSearchParams;
	form: Record<string, string>;
	upload?: ParsedUpload;
	options: { uploadLimitBytes: number; remarkPageKey: 'pager' | 'page' };
	/** Set-Cookie headers for the answer (the QR login sets the session cookies). */
	setCookies?: string[];
	/** The session the request's cookies belong to (absent on anonymous routes). */
	session?: SimSession;
	/** The life of the bili_tickets GenWebTicket issues, in seconds. */
	ticketTtlSeconds?: number;
	/** The full request path (for routes matched by prefix). */
	path: string;
	/** Answer this HTML page instead of the JSON body (the correspond page). */
	page?: { status: number; html: string };
}

export type Json = Record<string, unknown>;

export interface Route {
	method: 'GET' | 'POST';
	path: string;
	/** Also requires a non-zero DedeUserID cookie. */
	needsDedeUserID?: boolean;
	/** csrf must equal bili_jct (form or multipart field). */
	csrf?: boolean;
	multipart?: boolean;
	/** Needs no cookie (the QR login, before there is a session). */
	anonymous?: boolean;
	/** Matches every path that starts with `path`. */
	prefix?: boolean;
	handle(ctx: HandlerContext): Json;
}

export const ok = (data?: unknown): Json =>
	data === undefined ? { code: 0, message: '0', ttl: 1 } : { code: 0, message: '0', ttl: 1, data };
export const fail = (code: number, message: string): Json => ({ code, message, ttl: 1 });
const badRequest = () => fail(-400, '请求错误');

function chargeInput(form: Record<string, string>) {
	const bp = Number(form.bp_num);
	const up_mid = Number(form.up_mid);
	const valid =
		Number.isInteger(bp) &&
		bp <= 9999 &&
		up_mid > 0 &&
		['up', 'archive'].includes(form.otype) &&
		Number(form.oid) > 0;
	return valid ? { bp, up_mid, fromBalance: form.is_bp_remains_prior === 'true' } : undefined;
}

/** Remark dates are filtered on the Beijing calendar day (UTC+8). */
const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

function publicListRemark(r: SimRemark): SimRemark {
	// The list leaves sender and reply details empty; the detail endpoint fills them.
	return {
		...r,
		mid: 0,
		uname: '',
		avator: '',
		reply_name: '',
		reply_avator: '',
		reply_msg: '',
		reply_time: 0,
	};
}

export const ROUTES: Route[] = [
	{
		// misc/sign/bili_ticket: hexsign = HMAC-SHA256("XgwSnGZ1p", "ts" + context[ts]).
		method: 'POST',
		path: '/bapis/bilibili.api.ticket.v1.Ticket/GenWebTicket',
		anonymous: true,
		handle: ({ state, query, ticketTtlSeconds }) => {
			const ts = query.get('context[ts]') ?? '';
			const sign = createHmac('sha256', 'XgwSnGZ1p').update(`ts${ts}`).digest('hex');
			if (query.get('key_id') !== 'ec02' || query.get('hexsign') !== sign) return badRequest();
			const ttl = ticketTtlSeconds ?? 259_200;
			const body = Buffer.from(
				JSON.stringify({ exp: Math.floor(state.now() / 1000) + ttl }),
			).toString('base64url');
			const ticket = `eyJhbGciOiJIUzI1NiJ9.${body}${createHash('md5').update(String(Math.random())).digest('hex').slice(0, 8)}.c2lt`;
			state.tickets.set(ticket, state.now() + ttl * 1000);
			return ok({
				ticket,
				created_at: Math.floor(state.now() / 1000),
				ttl,
				context: {},
				nav: { img: '', sub: '' },
			});
		},
	},
	{
		// misc/buvid: a browser identity for anyone who asks, no cookie needed.
		method: 'GET',
		path: '/x/frontend/finger/spi',
		anonymous: true,
		handle: ({ state }) => {
			const id = createHash('md5').update(`buvid${state.now()}${Math.random()}`).digest('hex');
			const upper = id.toUpperCase();
			return ok({
				b_3: `${upper.slice(0, 8)}-${upper.slice(8, 12)}-${upper.slice(12, 16)}-${upper.slice(16, 20)}-${upper.slice(20, 32)}infoc`,
				b_4: `${upper.slice(0, 8)}-${upper.slice(8, 12)}-${upper.slice(12, 16)}-${upper.slice(16, 20)}-${upper.slice(20, 32)}-${state.now()}-sim`,
			});
		},
	},
	{
		method: 'POST',
		path: '/x/ugcpay/web/v2/trade/elec/pay/quick',
		csrf: true,
		handle({ state, form }) {
			const input = chargeInput(form);
			if (!input) return badRequest();
			if (input.bp < 2) {
				return ok({
					mid: 0,
					up_mid: 0,
					order_no: '',
					bp_num: 0,
					exp: 0,
					status: -2,
					msg: 'elec raw order create failed: 88201',
				});
			}
			if (state.balance < input.bp) {
				return ok({
					mid: 0,
					up_mid: 0,
					order_no: '',
					bp_num: 0,
					exp: 0,
					status: -4,
					msg: 'bp.to.battery http failed, invalid args, errNo=800409904: B 币余额不足',
				});
			}
			state.balance -= input.bp;
			const order_no = state.newOrderNo();
			state.orders.set(order_no, {
				order_no,
				mid: state.mid,
				up_mid: input.up_mid,
				bp_num: input.bp,
			});
			return ok({
				mid: state.mid,
				up_mid: input.up_mid,
				order_no,
				bp_num: input.bp,
				exp: Math.floor(input.bp),
				status: 4,
				msg: '',
			});
		},
	},
	{
		method: 'POST',
		path: '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create',
		csrf: true,
		handle({ state, form }) {
			const input = chargeInput(form);
			if (!input || input.bp < 2) return badRequest();
			const qr = state.createQr(input.up_mid, input.bp, input.fromBalance);
			return ok({
				qr_code_url: `http://api.bilibili.com/x/ugcpay/trade/elec/pay/qr_code/gateway?mid=${state.mid}&token=${qr.token}`,
				qr_token: qr.token,
				exp: input.bp,
			});
		},
	},
	{
		method: 'GET',
		path: '/x/ugcpay/trade/elec/pay/order/status',
		handle({ state, query }) {
			const token = query.get('qr_token') ?? '';
			const qr = state.liveQr(token);
			// A wrong or expired token answers without `status`.
			if (!qr) return ok({ qr_token: token, mid: state.mid });
			// Past its time a paid code is answered as expired (no status), its order number still there.
			if (qr.state === 'paid' && state.now() >= qr.expiresAt)
				return ok({ qr_token: token, order_no: qr.order_no, mid: state.mid });
			const status = qr.state === 'paid' ? 1 : qr.state === 'scanned' ? 3 : 2;
			return ok({
				qr_token: token,
				...(qr.order_no ? { order_no: qr.order_no } : {}),
				mid: state.mid,
				status,
			});
		},
	},
	{
		method: 'POST',
		path: '/x/ugcpay/trade/elec/message',
		csrf: true,
		handle({ state, form }) {
			const order = state.orders.get(form.order_id ?? '');
			if (!order || !form.message?.trim()) return badRequest();
			if (order.message !== undefined) return fail(88203, '不能重复留言');
			order.message = form.message;
			// Charging yourself (as the page's examples do) puts the message among your own remarks.
			if (order.up_mid === state.mid)
				state.addRemark({
					msg: form.message,
					mid: state.mid,
					uname: SIM_UNAME,
					avator: SIM_AVATAR,
				});
			return ok();
		},
	},
	{
		method: 'GET',
		path: '/x/web/elec/remark/list',
		handle({ state, query, options }) {
			const begin = query.get('begin') || '2016-01-01';
			const end = query.get('end') || '2050-01-01';
			const pn = Number(query.get('pn') || 1);
			const ps = Number(query.get('ps') || 10);
			if (!Number.isInteger(pn) || pn < 1 || !Number.isInteger(ps) || ps < 1 || ps > 12)
				return badRequest();
			const matching = state.remarks
				.filter((r) => beijingDay(r.ctime) >= begin && beijingDay(r.ctime) <= end)
				.reverse();
			const list = matching.slice((pn - 1) * ps, pn * ps).map(publicListRemark);
			return ok({
				list,
				[options.remarkPageKey]: { current: pn, size: ps, total: matching.length },
			});
		},
	},
	{
		method: 'GET',
		path: '/x/web/elec/remark/detail',
		handle({ state, query }) {
			const remark = state.findRemark(Number(query.get('id')));
			if (!remark) return badRequest();
			const replied = remark.state === 1;
			return ok({
				...remark,
				reply_name: replied ? SIM_UNAME : '',
				reply_avator: replied ? SIM_AVATAR : '',
			});
		},
	},
	{
		method: 'POST',
		path: '/x/web/elec/remark/reply',
		csrf: true,
		handle({ state, form }) {
			const remark = state.findRemark(Number(form.id));
			if (!remark || !form.msg?.trim()) return badRequest();
			remark.state = 1;
			remark.reply_msg = form.msg;
			remark.reply_time = state.now();
			return ok(1);
		},
	},
	{
		method: 'GET',
		path: '/x/web-interface/nav',
		handle: ({ state }) =>
			ok({
				isLogin: true,
				mid: state.mid,
				uname: SIM_UNAME,
				wallet: { bcoin_balance: state.balance, mid: state.mid },
			}),
	},
	{
		method: 'GET',
		path: '/x/member/web/account',
		handle: ({ state }) =>
			ok({
				mid: state.mid,
				uname: SIM_UNAME,
				userid: 'bili_84675323391',
				sign: state.sign,
				birthday: '2002-03-05',
				sex: '男',
				nick_free: false,
				rank: '正式会员',
			}),
	},
	{
		method: 'GET',
		path: '/x/member/web/exp/reward',
		handle: () =>
			ok({
				login: true,
				watch: true,
				coins: 30,
				share: true,
				email: true,
				tel: true,
				safe_question: true,
				identify_card: true,
			}),
	},
	{
		method: 'GET',
		path: '/plus/account/exp.php',
		needsDedeUserID: true,
		// exp.php has no data and no ttl.
		handle: () => ({ code: 0, message: '0', number: 20 }),
	},
	{
		method: 'GET',
		path: '/x/vip/web/user/info',
		handle: ({ state }) =>
			ok({
				mid: state.mid,
				vip_type: 2,
				vip_status: 1,
				vip_due_date: 1612454400000,
				vip_pay_type: 1,
				theme_type: 0,
			}),
	},
	{
		method: 'GET',
		path: '/web/site/user/info',
		needsDedeUserID: true,
		// The passport host answers without message and ttl.
		handle: () => ({
			code: 0,
			data: {
				account_info: {
					hide_tel: '153*****056',
					hide_mail: '144****@qq.com',
					bind_tel: true,
					bind_mail: true,
					tel_verify: true,
					mail_verify: true,
					unneeded_check: false,
					realname_certified: true,
				},
				account_safe: { Score: 90, score_new: 100, pwd_level: 3, security: true },
				account_sns: { weibo_bind: 1, qq_bind: 1, wechat_bind: 1 },
				account_other: { skipVerify: false },
			},
		}),
	},
	{ method: 'GET', path: '/x/member/realname/status', handle: () => ok({ status: 1 }) },
	{
		method: 'GET',
		path: '/x/member/realname/apply/status',
		handle: () =>
			ok({ status: 1, remark: '', realname: '***', card: '6****************7', card_type: 0 }),
	},
	{
		method: 'GET',
		path: '/x/member/web/coin/log',
		handle: () => {
			const list = [
				{ time: '2020-05-19 23:58:29', delta: -1, reason: '给视频 BV1j5411s7M8 打赏' },
				{ time: '2020-05-19 15:38:42', delta: 0.1, reason: '给视频 BV1nb411C7aa 打赏' },
				{ time: '2020-05-19 02:19:20', delta: 1, reason: '登录奖励' },
			];
			return ok({ list, count: list.length });
		},
	},
	{
		method: 'POST',
		path: '/x/member/web/sign/update',
		csrf: true,
		handle({ state, form }) {
			const sign = form.user_sign ?? '';
			if ([...sign].length > 70) return fail(40022, '签名过长');
			if (sign.includes('敏感词')) return fail(40015, '签名包含敏感词');
			state.sign = sign;
			return ok();
		},
	},
	{
		method: 'GET',
		path: '/x/custom/session_svr/v1/heart_beat',
		handle: () => ({ code: 0, msg: 'ok', message: 'ok', ttl: 1 }),
	},
	{
		method: 'POST',
		path: '/x/custom/msg_svr/v1/upload',
		csrf: true,
		multipart: true,
		handle({ state, upload, options }) {
			const file = upload?.files.find((f) => f.field === 'file');
			if (!upload || !file || !upload.fields.filename) return badRequest();
			if (Number(upload.fields.mid) !== state.mid) return fail(1200201, '获取用户信息失败');
			if (file.size > options.uploadLimitBytes) return fail(1000011, '仅支持上传300M内的文件');
			const ext = /\.[A-Za-z0-9]{1,8}$/.exec(upload.fields.filename)?.[0] ?? '';
			const key =
				createHash('md5')
					.update(`${upload.fields.filename}:${state.now()}:${Math.random()}`)
					.digest('hex') + ext;
			const date = new Date(state.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
			return ok({
				key,
				url: `https://jssz-boss.hdslb.com/customer-video-upload/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${createHash('sha256').update(key).digest('hex')}`,
			});
		},
	},
];
