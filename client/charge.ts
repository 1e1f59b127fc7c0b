/**
 * Charging (充电): B-coin charge, QR code pay and its status, and the charge message.
 * Pages: charge-quick-bcoin.txt, charge-qr-pay.txt, charge-remarks.md (发送充电留言).
 */
import {
	BilibiliApiError,
	BilibiliOutcomeUnknownError,
	BilibiliValidationError,
	unexpectedAnswer,
} from './errors';
import { holdForQrCode, keepingBalanceFloor, releaseQrCode } from './balanceFloor';
import { isObject, nonEmptyString } from './shape';
import type { Endpoint } from './transport/hosts';
import { MONEY_REFUSALS, type Transport } from './transport/transport';
import {
	booleanFlag,
	describe,
	integerInRange,
	nonEmptyText,
	oneOf,
	positiveId,
	type Id,
} from './validate';

export const CHARGE_ENDPOINTS = {
	chargeWithBcoin: {
		name: 'charge.chargeWithBcoin',
		method: 'POST',
		host: 'api',
		path: '/x/ugcpay/web/v2/trade/elec/pay/quick',
		movesMoney: true,
	},
	// The page's curl example uses the retired /x/ugcpay/trade/elec/pay/qr_code/create with elec_num
	// (battery units); the v2 path with bp_num is the current one and counts in B-coins like pay/quick.
	createQrPay: {
		name: 'charge.createQrPay',
		method: 'POST',
		host: 'api',
		path: '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create',
	},
	getQrPayStatus: {
		name: 'charge.getQrPayStatus',
		method: 'GET',
		host: 'api',
		path: '/x/ugcpay/trade/elec/pay/order/status',
	},
	sendChargeMessage: {
		name: 'charge.sendChargeMessage',
		method: 'POST',
		host: 'api',
		path: '/x/ugcpay/trade/elec/message',
	},
} satisfies Record<string, Endpoint>;

/** How long a QR pay code can be paid, per the page (秘钥有效时间为10分钟). */
export const QR_PAY_VALID_MS = 10 * 60_000;

export const CHARGE_SOURCES = ['up', 'archive'] as const;
export type ChargeSource = (typeof CHARGE_SOURCES)[number];

export interface ChargeParams {
	/** The UP主 to charge (充电对象用户mid). */
	up_mid: Id;
	/** B-coins (贝壳), 2..9999. */
	bp_num: number | string;
	/** `up`: from the space page (空间充电); `archive`: from a video (视频充电). Default `up`. */
	otype?: ChargeSource;
	/** `up`: the UP's mid (the default); `archive`: the video's avid. */
	oid?: Id;
	/**
	 * Spend the B-coin balance first. Default true for chargeWithBcoin (it only spends B-coins) and
	 * false for createQrPay, where true lets the fan's code draw on this account's balance; the
	 * spending guard then counts bp_num.
	 */
	is_bp_remains_prior?: boolean;
}

export interface ChargeResult {
	mid: number;
	up_mid: number;
	/** The token a charge message is left on (留言token). */
	order_no: string;
	bp_num: number;
	exp: number;
	status: 4;
	msg: string;
}

export interface QrPayCode {
	/** What the QR code encodes; open it with Alipay or WeChat. */
	qr_code_url: string;
	/** Key for polling the payment status (扫码秘钥). */
	qr_token: string;
	exp: number;
	/** When the code stops being payable: ten minutes after creation (ISO 8601). */
	expires_at: string;
}

export type QrPayState = 'not_scanned' | 'scanned' | 'paid' | 'invalid_or_expired';

export interface QrPayStatus {
	qr_token: string;
	mid?: number;
	/** 1 paid, 2 not scanned, 3 scanned but not confirmed; absent for a wrong or expired token. `state` is `paid` whenever order_no is given. */
	status?: 1 | 2 | 3;
	order_no?: string;
	state: QrPayState;
}

export interface ChargeMessageParams {
	/** The order_no of a charge (the page calls the form field order_id). */
	order_no: string;
	message: string;
}

const STATE_BY_STATUS: Record<number, QrPayState> = { 1: 'paid', 2: 'not_scanned', 3: 'scanned' };

const CHARGE_FAILURES: Record<number, { code: number; zh: string }> = {
	[-2]: { code: 88201, zh: '低于充电下限' },
	[-4]: { code: 800409904, zh: 'B币余额不足' },
};

/** The charge parameters, checked and in the form Bilibili takes them; the same input gives the same form. */
export function chargeForm(params: ChargeParams, balanceFirstByDefault = true) {
	if (!isObject(params))
		throw new BilibiliValidationError(
			'charge parameters',
			'an object with up_mid and bp_num',
			describe(params),
		);
	const up_mid = positiveId('up_mid', params.up_mid);
	const otype = oneOf('otype', params.otype ?? 'up', CHARGE_SOURCES);
	const oid =
		params.oid === undefined || params.oid === ''
			? otype === 'up'
				? up_mid
				: positiveId('oid (the video avid)', params.oid)
			: positiveId('oid', params.oid);
	return {
		bp_num: integerInRange('bp_num', params.bp_num, 2, 9999),
		is_bp_remains_prior: booleanFlag(
			'is_bp_remains_prior',
			params.is_bp_remains_prior,
			balanceFirstByDefault,
		),
		up_mid,
		otype,
		oid,
	};
}

/**
 * Whether a failed money request provably moved nothing: refused before sending (bad input, the
 * client closed, still queued, a connection never made), or a documented refusal (the transport lets
 * only those through as definite errors; everything else is BilibiliOutcomeUnknownError).
 */
function provesNotCharged(err: unknown): boolean {
	if (err instanceof BilibiliOutcomeUnknownError) return false;
	if (err instanceof BilibiliValidationError) return true;
	return (
		err instanceof BilibiliApiError &&
		(err.notSent || (typeof err.code === 'number' && MONEY_REFUSALS.has(err.code)))
	);
}

export function chargeApi(t: Transport) {
	return {
		/** The client's pause (its runtime's timers); the QR watchers wait with it between polls. */
		sleep: t.sleep,
		/**
		 * Charges an UP with B-coins. Spends money: checked against the spending limits first, never
		 * retried, and any answer that does not prove the charge failed (lost, cut off, code 0 with no
		 * status) is a BilibiliOutcomeUnknownError.
		 */
		async chargeWithBcoin(params: ChargeParams, signal?: AbortSignal): Promise<ChargeResult> {
			const ep = CHARGE_ENDPOINTS.chargeWithBcoin;
			const form = chargeForm(params);
			const refund = t.reserveSpending(form.bp_num);
			// Refunded only when the charge provably did not happen.
			const env = await keepingBalanceFloor(
				t,
				ep.name,
				form.bp_num,
				signal,
				() => t.request(ep, { form, signal }),
				provesNotCharged,
			).catch((err: unknown) => {
				if (provesNotCharged(err)) refund();
				throw err;
			});
			const data: Record<string, unknown> = isObject(env.data) ? env.data : {};
			const status = data.status;
			if (status === 4)
				return { ...data, order_no: String(data.order_no ?? '') } as unknown as ChargeResult;
			const known = typeof status === 'number' ? CHARGE_FAILURES[status] : undefined;
			// code 0 only means the request was understood. Only -2 and -4 prove no B-coin moved.
			if (!known) {
				const seen =
					status === undefined
						? 'no data.status'
						: `data.status ${String(JSON.stringify(status)).slice(0, 20)}`;
				throw new BilibiliOutcomeUnknownError(ep.name, `code 0 with ${seen}`);
			}
			refund();
			const msg = typeof data.msg === 'string' ? data.msg : '';
			const errNo = /errNo=(\d+)/.exec(msg)?.[1] ?? /failed: (\d+)/.exec(msg)?.[1];
			throw new BilibiliApiError({
				code: errNo ? Number(errNo) : known.code,
				endpoint: ep.name,
				chargeStatus: status as number,
				bilibiliMessage: msg || known.zh,
				retryable: false,
			});
		},

		/**
		 * Creates a charge QR code (valid ten minutes) that a fan pays with Alipay or WeChat. With
		 * is_bp_remains_prior true the code may draw on this account's B-coins: the spending guard counts
		 * bp_num and the request is treated as one that moves money.
		 */
		async createQrPay(params: ChargeParams, signal?: AbortSignal): Promise<QrPayCode> {
			const ep = CHARGE_ENDPOINTS.createQrPay;
			const form = chargeForm(params, false);
			const refund = form.is_bp_remains_prior ? t.reserveSpending(form.bp_num) : undefined;
			const request = () => t.request(ep, { form, movesMoney: refund !== undefined, signal });
			// A balance-first code (or one whose creation is unclear) holds its B-coins against the floor
			// until it is seen paid or expired: held before the next charge of the account is checked.
			const send = () =>
				request().then(
					(env) => {
						const token = isObject(env.data) ? env.data.qr_token : undefined;
						holdForQrCode(
							t,
							nonEmptyString(token) ? token : undefined,
							form.bp_num,
							QR_PAY_VALID_MS,
						);
						return env;
					},
					(err: unknown) => {
						if (!provesNotCharged(err)) holdForQrCode(t, undefined, form.bp_num, QR_PAY_VALID_MS);
						throw err;
					},
				);
			// Only a code that may draw on the balance is checked against the floor (before it exists: the
			// balance is drawn when the fan pays, within the code's ten minutes).
			const env = await (
				refund ? keepingBalanceFloor(t, ep.name, form.bp_num, signal, send) : request()
			).catch((err: unknown) => {
				if (refund && provesNotCharged(err)) refund();
				throw err;
			});
			const data = env.data as Partial<QrPayCode> | undefined;
			if (!isObject(data) || !nonEmptyString(data.qr_token) || !nonEmptyString(data.qr_code_url)) {
				throw unexpectedAnswer(ep.name, 'no qr_token or qr_code_url in data');
			}
			return {
				...data,
				qr_token: data.qr_token,
				qr_code_url: data.qr_code_url,
				expires_at: new Date(Date.now() + QR_PAY_VALID_MS).toISOString(),
			} as QrPayCode;
		},

		/** One look at a QR code's payment state. */
		async getQrPayStatus(qr_token: string, signal?: AbortSignal): Promise<QrPayStatus> {
			const token = nonEmptyText('qr_token', qr_token).trim();
			const env = await t.request(CHARGE_ENDPOINTS.getQrPayStatus, {
				query: { qr_token: token },
				signal,
			});
			const data = (isObject(env.data) ? env.data : {}) as Omit<QrPayStatus, 'state'>;
			// An answer after the code's time drops the status yet still carries the order once paid, so
			// without a status the order number decides. A status Bilibili does send wins over it: one it
			// does not document as paid or waiting says the code failed or expired.
			const state =
				data.status === undefined || data.status === null
					? nonEmptyString(data.order_no)
						? 'paid'
						: 'invalid_or_expired'
					: (STATE_BY_STATUS[data.status] ?? 'invalid_or_expired');
			if (state === 'paid' && !nonEmptyString(data.order_no))
				throw unexpectedAnswer(
					CHARGE_ENDPOINTS.getQrPayStatus.name,
					'paid without an order_no',
					true,
				);
			// Paid, the wallet shows it; expired, it never will: either way the code holds no balance now.
			if (state === 'paid' || state === 'invalid_or_expired') releaseQrCode(t, token);
			return {
				...data,
				qr_token: typeof data.qr_token === 'string' ? data.qr_token : token,
				state,
			};
		},

		/** Leaves the one message a charge order may carry (88203 when it already has one). */
		async sendChargeMessage(params: ChargeMessageParams, signal?: AbortSignal): Promise<void> {
			if (!isObject(params))
				throw new BilibiliValidationError(
					'charge message parameters',
					'an object with order_no and message',
					describe(params),
				);
			const order_id = nonEmptyText('order_no', params.order_no).trim();
			const message = nonEmptyText('message', params.message);
			await t.request(CHARGE_ENDPOINTS.sendChargeMessage, { form: { order_id, message }, signal });
		},
	};
}

export type ChargeApi = ReturnType<typeof chargeApi>;
