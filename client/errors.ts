/**
 * Errors the client throws. Every remote failure is a BilibiliApiError carrying the Bilibili code,
 * the original (usually Chinese) message and an English explanation. None of them ever holds a
 * reference to the HTTP library's error, whose config carries the Cookie header.
 */

interface CodeInfo {
	/** English explanation for users who do not read Chinese. */
	en: string;
	/** What the api pages say the code means, used when the server's own message is empty. */
	zh: string;
	/** Transient: trying the same GET again later may succeed. */
	transient?: boolean;
}

/** Every code the api pages name, plus the risk-control codes Bilibili answers automated traffic with. */
export const BILIBILI_CODES: Record<string, CodeInfo> = {
	'-101': {
		en: 'Not logged in: SESSDATA is missing, expired or wrong. Log in again and copy the SESSDATA cookie',
		zh: '账号未登录',
	},
	'-111': {
		en: 'CSRF check failed: bili_jct does not belong to this SESSDATA session. Copy both cookies from the same browser session',
		zh: 'csrf校验失败',
	},
	'-400': { en: 'Bad request: a parameter was rejected by Bilibili', zh: '请求错误' },
	'-403': { en: 'Access denied for this account', zh: '访问权限不足' },
	'-404': { en: 'Not found', zh: '啥都木有' },
	'-412': {
		en: 'Request blocked by risk control (too many or automated-looking requests). Slow down and try later',
		zh: '请求被拦截',
		transient: true,
	},
	// Not transient: repeating the same request looks more automated, not less (see BilibiliRiskControlError).
	'-352': {
		en: 'Risk control check failed: the request did not look like a browser to Bilibili',
		zh: '风控校验失败',
	},
	'-799': {
		en: 'Too many requests. Slow down and try later',
		zh: '请求过于频繁,请稍后再试',
		transient: true,
	},
	'-500': { en: 'Bilibili server error', zh: '服务器错误', transient: true },
	'-503': { en: 'Bilibili is overloaded', zh: '过载保护,服务暂不可用', transient: true },
	// A session refresh refused (cookie-refresh): nothing changed, the refresh token is not spent.
	'86095': {
		en: 'Session refresh refused: refresh_csrf is wrong, or the refresh token does not belong to these cookies (used already, or from another login). If it keeps failing, log in again with the QR code',
		zh: 'refresh_csrf 错误或 refresh_token 与 cookie 不匹配',
	},
	'88201': {
		en: 'Charge below the minimum: at least 2 B-coins (贝壳) per charge',
		zh: '低于充电下限',
	},
	'88203': {
		en: 'A charge message was already left on this order; only one message per order is allowed',
		zh: '不能重复留言',
	},
	'800409904': { en: 'B-coin balance too low for this charge', zh: 'B币余额不足' },
	'1000011': {
		en: 'File too large: the customer-service upload accepts files up to 300 MB',
		zh: '仅支持上传300M内的文件',
	},
	'1200201': {
		en: 'Could not get user info: the mid does not match the logged-in account (check DedeUserID)',
		zh: '获取用户信息失败',
	},
	'20004': { en: 'Charge service error on Bilibili side. Try again later', zh: '充电服务异常' },
	'40015': { en: 'Signature contains sensitive words', zh: '签名包含敏感词' },
	'40021': { en: 'Signature must not contain emoji images', zh: '签名不能包含表情图片' },
	'40022': { en: 'Signature too long: at most 70 characters', zh: '签名过长' },
};

/** Synthetic codes for failures that never reached a Bilibili JSON answer. */
export type TransportCode =
	| 'NETWORK'
	| 'TIMEOUT'
	| 'HTTP_ERROR'
	| 'NOT_JSON'
	| 'UNEXPECTED_ANSWER'
	| 'OUTCOME_UNKNOWN'
	| 'ABORTED'
	| 'BACKING_OFF'
	| 'LOGIN_EXPIRED';

export type BilibiliErrorCode = number | TransportCode;

export interface BilibiliApiErrorInit {
	code: BilibiliErrorCode;
	endpoint: string;
	httpStatus?: number;
	/** The server's own message, as sent (usually Chinese). */
	bilibiliMessage?: string;
	explanation?: string;
	/** The raw transport cause (e.g. `ECONNRESET: socket hang up`), kept out of the message. */
	detail?: string;
	/** For charges: data.status when code was 0 but the charge did not happen. */
	chargeStatus?: number;
	retryable?: boolean;
	/** True when the request provably never left this process (refused before sending, still queued). */
	notSent?: boolean;
}

export function explainCode(code: BilibiliErrorCode): CodeInfo | undefined {
	return BILIBILI_CODES[String(code)];
}

export class BilibiliApiError extends Error {
	readonly code: BilibiliErrorCode;
	readonly endpoint: string;
	readonly httpStatus?: number;
	readonly bilibiliMessage: string;
	readonly explanation: string;
	readonly chargeStatus?: number;
	readonly detail?: string;
	/** True when trying the same request again later may succeed (never true for a charge). */
	readonly retryable: boolean;
	/** True when the request provably never left this process. */
	readonly notSent: boolean;

	constructor(init: BilibiliApiErrorInit) {
		const known = explainCode(init.code);
		const original =
			init.bilibiliMessage && !/^-?\d+$/.test(init.bilibiliMessage)
				? init.bilibiliMessage
				: (known?.zh ?? '');
		const explanation = init.explanation ?? known?.en ?? 'Unknown Bilibili error';
		const http = init.httpStatus && init.httpStatus !== 200 ? `, HTTP ${init.httpStatus}` : '';
		super(
			`Bilibili ${init.code} on ${init.endpoint}${http}: ${explanation}${original ? ` (${original})` : ''}`,
		);
		this.name = 'BilibiliApiError';
		this.code = init.code;
		this.endpoint = init.endpoint;
		this.httpStatus = init.httpStatus;
		this.bilibiliMessage = original;
		this.explanation = explanation;
		this.chargeStatus = init.chargeStatus;
		this.detail = init.detail;
		this.retryable = init.retryable ?? known?.transient ?? false;
		this.notSent = init.notSent ?? false;
	}

	toJSON() {
		return {
			name: this.name,
			message: this.message,
			code: this.code,
			endpoint: this.endpoint,
			httpStatus: this.httpStatus,
			bilibiliMessage: this.bilibiliMessage,
			explanation: this.explanation,
			chargeStatus: this.chargeStatus,
			detail: this.detail,
			retryable: this.retryable,
			notSent: this.notSent,
		};
	}
}

/**
 * A money-moving request whose answer never arrived (timeout, reset, gateway page). The charge may or
 * may not have happened, so nobody may retry it blindly.
 */
export class BilibiliOutcomeUnknownError extends BilibiliApiError {
	constructor(endpoint: string, cause: string, httpStatus?: number, detail?: string) {
		super({
			code: 'OUTCOME_UNKNOWN',
			endpoint,
			httpStatus,
			detail,
			retryable: false,
			explanation: `Outcome unknown — check the order history before charging again (${cause}). The charge may or may not have happened; it was not retried`,
			bilibiliMessage: '结果未知,请先查看充电记录再决定是否重新充电',
		});
		this.name = 'BilibiliOutcomeUnknownError';
	}
}

/**
 * -352: Bilibili's risk control refused the request as not browser-like. Never retried by the client
 * (a loop makes it worse); the message says what helps, in the order the documentation gives.
 */
export class BilibiliRiskControlError extends BilibiliApiError {
	/** Bilibili asked for a captcha (`data.v_voucher`): an automation cannot pass it, a browser can. */
	readonly captchaAsked: boolean;

	constructor(
		endpoint: string,
		httpStatus: number,
		bilibiliMessage: string,
		captchaAsked: boolean,
	) {
		super({
			code: -352,
			endpoint,
			httpStatus,
			bilibiliMessage,
			retryable: false,
			explanation: `Refused by Bilibili risk control (the request did not look like a browser's); not retried. What helps: keep the browser User-Agent (the default), give the buvid3 cookie or let the client fetch one (the default), turn on bili_ticket, and slow down${captchaAsked ? '. Bilibili asked for a captcha (v_voucher): open bilibili.com in a browser on the same network and log in once, then try again' : ''}`,
		});
		this.name = 'BilibiliRiskControlError';
		this.captchaAsked = captchaAsked;
	}

	toJSON() {
		return { ...super.toJSON(), captchaAsked: this.captchaAsked };
	}
}

/**
 * A failure a watcher polls past at its own pace (it is not a retry loop: the next look comes after the
 * watcher's interval, spaced further by its failure gate): transient codes and risk control.
 */
export function watcherMayPollPast(err: unknown): err is BilibiliApiError {
	return (
		err instanceof BilibiliApiError && (err.retryable || err instanceof BilibiliRiskControlError)
	);
}

/** An answer with code 0 that lacks what the endpoint promises (a proxy, a changed API, a hostile server). */
export function unexpectedAnswer(
	endpoint: string,
	what: string,
	retryable = false,
): BilibiliApiError {
	return new BilibiliApiError({
		code: 'UNEXPECTED_ANSWER',
		endpoint,
		explanation: `Bilibili sent an unexpected answer: ${what}`,
		retryable,
	});
}

/** Bad input caught before any request was sent. */
export class BilibiliValidationError extends Error {
	readonly field: string;
	readonly expected: string;
	/** What was given, described safely (never a secret's value). */
	readonly given: string;

	constructor(
		field: string,
		expected: string,
		given: string,
		message = `Invalid ${field}: expected ${expected}, got ${given}`,
	) {
		super(message);
		this.name = 'BilibiliValidationError';
		this.field = field;
		this.expected = expected;
		this.given = given;
	}

	toJSON() {
		return {
			name: this.name,
			message: this.message,
			field: this.field,
			expected: this.expected,
			given: this.given,
		};
	}
}

export type SpendingLimitName = 'maxPerCharge' | 'maxPer24h' | 'minBcoinBalance';

const LIMIT_SETTINGS: Record<SpendingLimitName, string> = {
	maxPerCharge: 'Maximum B-Coins per Charge',
	maxPer24h: 'Maximum B-Coins per 24 Hours',
	minBcoinBalance: 'Minimum B-Coin Balance to Keep',
};

/** What the balance floor saw: the wallet's B-coin balance, or why it could not be read. */
/** `held`: B-coins the balance may still lose to this process's charges and balance-first QR codes. */
export type WalletReading = { balance: number; held?: number } | { unreadable: string };

/** A B-coin charge refused by the spending guard; nothing was sent and nothing was counted. */
export class BilibiliSpendingLimitError extends BilibiliValidationError {
	readonly limit: SpendingLimitName;
	readonly limitValue: number;
	/** B-coins this process charged for the account in the last 24 hours. */
	readonly spent24h: number;
	/** For minBcoinBalance: the balance read before the charge (absent when it could not be read). */
	readonly balance?: number;

	constructor(
		limit: SpendingLimitName,
		limitValue: number,
		requested: number,
		spent24h: number,
		wallet?: WalletReading,
	) {
		const setting = LIMIT_SETTINGS[limit];
		const floor = limit === 'minBcoinBalance';
		const what = !floor
			? limit === 'maxPerCharge'
				? `a charge of ${requested} B-coins is over the maximum per charge (${limitValue})`
				: `${spent24h} B-coins were charged from this account in the last 24 hours; ${requested} more would pass the maximum of ${limitValue} per 24 hours`
			: wallet && 'balance' in wallet
				? `the B-coin balance is ${wallet.balance}${wallet.held ? ` (${wallet.held} of it may still be drawn by this account's unpaid balance-first QR codes or charges Bilibili has not booked yet)` : ''}; a charge of ${requested} would leave ${wallet.balance - (wallet.held ?? 0) - requested}, below the minimum balance to keep (${limitValue})`
				: `the B-coin balance could not be read (${wallet?.unreadable ?? 'no answer'}), so a charge of ${requested} cannot be checked against the minimum balance to keep (${limitValue})`;
		const change = !floor
			? `raise "${setting}"`
			: wallet && 'balance' in wallet
				? `lower "${setting}"`
				: `try again when the wallet can be read, or set "${setting}" to 0`;
		super(
			'bp_num',
			floor
				? `a charge leaving at least ${limitValue} B-coins (${limit})`
				: `at most ${limitValue} B-coins (${limit})`,
			`${requested}`,
			`Spending limit: ${what}. Nothing was sent. To allow it, ${change} in the Bilibili credential (n8n) or account node (Node-RED), or spendingLimits.${limit} in the client`,
		);
		this.name = 'BilibiliSpendingLimitError';
		this.limit = limit;
		this.limitValue = limitValue;
		this.spent24h = spent24h;
		if (wallet && 'balance' in wallet) this.balance = wallet.balance;
	}

	toJSON() {
		return {
			...super.toJSON(),
			limit: this.limit,
			limitValue: this.limitValue,
			spent24h: this.spent24h,
			...(this.balance === undefined ? {} : { balance: this.balance }),
		};
	}
}
