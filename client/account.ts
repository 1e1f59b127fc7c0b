/**
 * Account and member-center reads, and the signature update. Page: account-member-center.txt.
 */
import type { Endpoint } from './transport/hosts';
import type { Transport } from './transport/transport';
import { unexpectedAnswer } from './errors';
import { isObject } from './shape';
import { textUpTo } from './validate';

export const ACCOUNT_ENDPOINTS = {
	getProfile: {
		name: 'account.getProfile',
		method: 'GET',
		host: 'api',
		path: '/x/member/web/account',
	},
	getDailyExpTasks: {
		name: 'account.getDailyExpTasks',
		method: 'GET',
		host: 'api',
		path: '/x/member/web/exp/reward',
	},
	getTodayCoinExp: {
		name: 'account.getTodayCoinExp',
		method: 'GET',
		host: 'www',
		path: '/plus/account/exp.php',
		needsDedeUserID: true,
	},
	getVipInfo: {
		name: 'account.getVipInfo',
		method: 'GET',
		host: 'api',
		path: '/x/vip/web/user/info',
	},
	getSecurityInfo: {
		name: 'account.getSecurityInfo',
		method: 'GET',
		host: 'passport',
		path: '/web/site/user/info',
		needsDedeUserID: true,
	},
	getRealnameStatus: {
		name: 'account.getRealnameStatus',
		method: 'GET',
		host: 'api',
		path: '/x/member/realname/status',
	},
	getRealnameDetails: {
		name: 'account.getRealnameDetails',
		method: 'GET',
		host: 'api',
		path: '/x/member/realname/apply/status',
	},
	// Not one of the node operations: the doctor's login and balance check (bilibili-doctor).
	getNav: {
		name: 'account.getNav',
		method: 'GET',
		host: 'api',
		path: '/x/web-interface/nav',
	},
	// The page prints this URL as httpsss:// (typo); the host is api.bilibili.com.
	getCoinLog: {
		name: 'account.getCoinLog',
		method: 'GET',
		host: 'api',
		path: '/x/member/web/coin/log',
	},
	updateSignature: {
		name: 'account.updateSignature',
		method: 'POST',
		host: 'api',
		path: '/x/member/web/sign/update',
	},
} satisfies Record<string, Endpoint>;

export const SIGNATURE_MAX_CHARS = 70;

export interface AccountProfile {
	mid: number;
	uname: string;
	userid: string;
	sign: string;
	/** YYYY-MM-DD */
	birthday: string;
	/** 男, 女 or 保密 */
	sex: string;
	nick_free: boolean;
	rank: string;
}

export interface DailyExpTasks {
	login: boolean;
	watch: boolean;
	/** Exp from coins given today (max 50; lags, see getTodayCoinExp). */
	coins: number;
	share: boolean;
	email: boolean;
	tel: boolean;
	safe_question: boolean;
	identify_card: boolean;
}

export interface TodayCoinExp {
	/** Exp from coins given today, real time (max 50). */
	number: number;
}

export interface VipInfo {
	mid: number;
	/** 0 none, 1 monthly, 2 yearly */
	vip_type: number;
	/** 1 normal, 2 frozen (IP changes), 3 locked (risk) */
	vip_status: number;
	/** Milliseconds. */
	vip_due_date: number;
	vip_pay_type: number;
	theme_type: number;
}

export interface SecurityInfo {
	account_info: {
		hide_tel: string;
		hide_mail: string;
		bind_tel: boolean;
		bind_mail: boolean;
		tel_verify: boolean;
		mail_verify: boolean;
		unneeded_check: boolean;
		realname_certified: boolean;
	};
	account_safe: { Score: number; score_new: number; pwd_level: number; security: boolean };
	account_sns: { weibo_bind: number; qq_bind: number; wechat_bind: number };
	account_other: { skipVerify: boolean };
}

export interface RealnameStatus {
	/** 0 not verified, 1 verified */
	status: number;
}

export interface RealnameDetails {
	/** 1 verified, 3 not verified */
	status: number;
	remark: string;
	realname: string;
	card: string;
	card_type: number;
}

export interface CoinLogEntry {
	/** YYYY-MM-DD HH:MM:SS, Beijing time (UTC+8). */
	time: string;
	/** Positive: income; negative: spent. */
	delta: number;
	reason: string;
}

/** What the website's header shows: who is logged in and the B-coin balance. */
export interface NavInfo {
	isLogin: boolean;
	mid: number;
	uname: string;
	/** B-coins (B币) on the account; undefined when the answer has no wallet. */
	bcoin_balance?: number;
}

export interface CoinLog {
	list: CoinLogEntry[];
	count: number;
}

export function accountApi(t: Transport) {
	/** The answer's `data`, which every read here promises as an object. */
	const get = async <T>(ep: Endpoint, signal?: AbortSignal): Promise<T> => {
		const data = (await t.request(ep, { signal })).data;
		if (!isObject(data)) throw unexpectedAnswer(ep.name, 'no data object');
		return data as T;
	};
	return {
		getProfile: (signal?: AbortSignal) => get<AccountProfile>(ACCOUNT_ENDPOINTS.getProfile, signal),
		getDailyExpTasks: (signal?: AbortSignal) =>
			get<DailyExpTasks>(ACCOUNT_ENDPOINTS.getDailyExpTasks, signal),
		/** exp.php answers `{code, message, number}` with no `data`. */
		async getTodayCoinExp(signal?: AbortSignal): Promise<TodayCoinExp> {
			const ep = ACCOUNT_ENDPOINTS.getTodayCoinExp;
			const env = await t.request(ep, { signal });
			const number = Number(env.number);
			if (env.number === undefined || env.number === null || !Number.isFinite(number))
				throw unexpectedAnswer(ep.name, 'no number');
			return { number };
		},
		getVipInfo: (signal?: AbortSignal) => get<VipInfo>(ACCOUNT_ENDPOINTS.getVipInfo, signal),
		getSecurityInfo: (signal?: AbortSignal) =>
			get<SecurityInfo>(ACCOUNT_ENDPOINTS.getSecurityInfo, signal),
		getRealnameStatus: (signal?: AbortSignal) =>
			get<RealnameStatus>(ACCOUNT_ENDPOINTS.getRealnameStatus, signal),
		getRealnameDetails: (signal?: AbortSignal) =>
			get<RealnameDetails>(ACCOUNT_ENDPOINTS.getRealnameDetails, signal),
		/** Who is logged in and the B-coin balance (`x/web-interface/nav`); -101 when logged out. */
		async getNav(signal?: AbortSignal): Promise<NavInfo> {
			const data = await get<Record<string, unknown>>(ACCOUNT_ENDPOINTS.getNav, signal);
			const wallet = isObject(data.wallet) ? data.wallet : {};
			const balance = Number(wallet.bcoin_balance);
			return {
				isLogin: data.isLogin === true,
				mid: Number(data.mid) || 0,
				uname: typeof data.uname === 'string' ? data.uname : '',
				bcoin_balance: Number.isFinite(balance) ? balance : undefined,
			};
		},
		/** Coin changes of the last seven days. */
		async getCoinLog(signal?: AbortSignal): Promise<CoinLog> {
			const data = await get<Partial<CoinLog>>(ACCOUNT_ENDPOINTS.getCoinLog, signal);
			const list = data.list ?? [];
			if (!Array.isArray(list))
				throw unexpectedAnswer(ACCOUNT_ENDPOINTS.getCoinLog.name, 'data.list is not a list');
			return { list, count: typeof data.count === 'number' ? data.count : list.length };
		},
		/** Sets the signature; clearing it takes an explicit empty string. Bilibili applies it after review. */
		async updateSignature(user_sign: string, signal?: AbortSignal): Promise<void> {
			const sign = textUpTo('user_sign', user_sign, SIGNATURE_MAX_CHARS);
			await t.request(ACCOUNT_ENDPOINTS.updateSignature, { form: { user_sign: sign }, signal });
		},
	};
}

export type AccountApi = ReturnType<typeof accountApi>;
