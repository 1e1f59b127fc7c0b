/**
 * The simulated Bilibili account: balance, orders, QR codes, remarks, signature. Shapes follow the
 * api pages' example responses.
 */
import { randomBytes } from 'node:crypto';
import type { Remark } from '../client/remarks';

export interface SimCredentials {
	SESSDATA: string;
	bili_jct: string;
	DedeUserID: string;
}

export const DEFAULT_SIM_CREDENTIALS: SimCredentials = {
	SESSDATA: 'sim-sessdata-5f1c2a9e%2C1799999999%2Cb1l1b*11',
	bili_jct: 'sim-bili-jct-0d9f3c7a1b2e4f60',
	DedeUserID: '293793435',
};

/** Stored as the detail endpoint shows it; the list blanks the sender fields. */
export type SimRemark = Remark;

export type QrState = 'not_scanned' | 'scanned' | 'paid';

export interface SimQrCode {
	token: string;
	up_mid: number;
	bp_num: number;
	state: QrState;
	createdAt: number;
	expiresAt: number;
	order_no?: string;
	/** is_bp_remains_prior: paying draws on the account's B-coins first, the fan pays the rest. */
	fromBalance?: boolean;
}

export interface SimOrder {
	order_no: string;
	mid: number;
	up_mid: number;
	bp_num: number;
	message?: string;
}

export const SIM_UNAME = '社会易姐QwQ';
export const SIM_AVATAR =
	'http://i2.hdslb.com/bfs/face/1804b716084908d4992bdd35827d0c2d7222fe97.jpg';
const QR_VALID_MS = 10 * 60_000;

/** A QR login key lives 180 s (login-qr.md). */
export const LOGIN_VALID_MS = 180_000;

export interface SimLogin {
	key: string;
	created: number;
	/** waiting → scanned → confirmed → used (after the poll that logs in); or expired. */
	state: 'waiting' | 'scanned' | 'confirmed' | 'used' | 'expired';
}

/** One login session: its cookies, its refresh token, and whether it still works. */
export interface SimSession {
	SESSDATA: string;
	bili_jct: string;
	refresh_token: string;
	valid: boolean;
	/** The refresh_csrf the correspond page last gave for this session. */
	refresh_csrf?: string;
	/** For a refreshed session: the SESSDATA it replaced, invalidated on confirm. */
	replaces?: string;
	/** The (now spent) refresh token of the session it replaced, which confirm must name. */
	replacesToken?: string;
}

/** The QR login's refresh token for the simulator's own account (login.ts hands it out). */
export const SIM_REFRESH_TOKEN = 'sim-refresh-token';

export class SimState {
	clockOffsetMs = 0;
	/** Sessions by SESSDATA; the account's own starts valid. */
	readonly sessions = new Map<string, SimSession>();
	/** Issued bili_tickets and when each expires (ms, simulator clock). */
	readonly tickets = new Map<string, number>();
	/** cookie/info answers `refresh: true` while this is set. */
	refreshDue = false;
	/**
	 * How cookie/refresh words its answer, as Bilibili may: Set-Cookie lines rewritten (clearing
	 * entries, quotes, a cookie left out) and `data.status`. The session is made either way.
	 */
	refreshAnswer: { setCookies?(lines: string[]): string[]; status?: number } = {};
	balance: number;
	sign = '高中技术宅一枚,爱好MC&电子&8-bit音乐&数码&编程,资深猿厨,粉丝群:1136462265';
	readonly orders = new Map<string, SimOrder>();
	readonly qrCodes = new Map<string, SimQrCode>();
	/** Oldest first; the list endpoint serves them newest first. */
	readonly remarks: SimRemark[] = [];
	/** QR logins by qrcode_key. */
	readonly logins = new Map<string, SimLogin>();
	private nextRemarkId = 6715018;
	readonly mid: number;

	constructor(
		readonly credentials: SimCredentials,
		options: { balance?: number } = {},
	) {
		this.mid = Number(credentials.DedeUserID);
		this.balance = options.balance ?? 100;
		this.sessions.set(credentials.SESSDATA, {
			SESSDATA: credentials.SESSDATA,
			bili_jct: credentials.bili_jct,
			refresh_token: SIM_REFRESH_TOKEN,
			valid: true,
		});
	}

	/** The working session these cookies belong to, if any. */
	session(SESSDATA: string | undefined): SimSession | undefined {
		const session = SESSDATA === undefined ? undefined : this.sessions.get(SESSDATA);
		return session?.valid ? session : undefined;
	}

	/** A new QR login key, valid for 180 s on the simulator's clock. */
	createLogin(): SimLogin {
		const key = randomBytes(16).toString('hex');
		const login: SimLogin = { key, created: this.now(), state: 'waiting' };
		this.logins.set(key, login);
		return login;
	}

	/** The login's state now: expired once 180 s have passed (or it was used or expired by hand). */
	loginState(key: string): SimLogin['state'] | 'unknown' {
		const login = this.logins.get(key);
		if (!login) return 'unknown';
		if (
			login.state !== 'confirmed' &&
			login.state !== 'used' &&
			this.now() - login.created >= LOGIN_VALID_MS
		)
			login.state = 'expired';
		return login.state;
	}

	scanLogin(key: string): SimLogin {
		return this.moveLogin(key, ['waiting'], 'scanned');
	}

	confirmLogin(key: string): SimLogin {
		return this.moveLogin(key, ['waiting', 'scanned'], 'confirmed');
	}

	expireLogin(key: string): SimLogin {
		return this.moveLogin(key, ['waiting', 'scanned'], 'expired');
	}

	private moveLogin(key: string, from: Array<SimLogin['state']>, to: SimLogin['state']): SimLogin {
		const state = this.loginState(key);
		const login = this.logins.get(key);
		if (!login || !from.includes(state as SimLogin['state']))
			throw new Error(`login ${key} is ${state}, not ${from.join(' or ')}`);
		login.state = to;
		return login;
	}

	now(): number {
		return Date.now() + this.clockOffsetMs;
	}

	newOrderNo(): string {
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
		return Array.from(randomBytes(20), (b) => alphabet[b % alphabet.length]).join('');
	}

	createQr(up_mid: number, bp_num: number, fromBalance = false): SimQrCode {
		const token = randomBytes(16).toString('hex');
		const createdAt = this.now();
		const qr: SimQrCode = {
			token,
			up_mid,
			bp_num,
			state: 'not_scanned',
			createdAt,
			expiresAt: createdAt + QR_VALID_MS,
			fromBalance,
		};
		this.qrCodes.set(token, qr);
		return qr;
	}

	/** A live (not expired) QR code, or undefined. */
	liveQr(token: string): SimQrCode | undefined {
		const qr = this.qrCodes.get(token);
		if (!qr) return undefined;
		if (qr.state !== 'paid' && this.now() >= qr.expiresAt) return undefined;
		return qr;
	}

	scanQr(token: string): SimQrCode {
		const qr = this.requireQr(token);
		if (qr.state === 'not_scanned') qr.state = 'scanned';
		return qr;
	}

	payQr(token: string): SimQrCode {
		const qr = this.requireQr(token);
		if (qr.state !== 'paid') {
			qr.state = 'paid';
			if (qr.fromBalance) this.balance -= Math.min(this.balance, qr.bp_num);
			qr.order_no = this.newOrderNo();
			this.orders.set(qr.order_no, {
				order_no: qr.order_no,
				mid: this.mid,
				up_mid: qr.up_mid,
				bp_num: qr.bp_num,
			});
		}
		return qr;
	}

	expireQr(token: string): void {
		const qr = this.qrCodes.get(token);
		if (qr) qr.expiresAt = this.now() - 1;
	}

	private requireQr(token: string): SimQrCode {
		const qr = this.liveQr(token);
		if (!qr) throw new Error(`No live QR code with token ${token}`);
		return qr;
	}

	addRemark(input: Partial<SimRemark> & { msg: string }): SimRemark {
		const ctime =
			input.ctime ?? Math.max(this.now(), (this.remarks[this.remarks.length - 1]?.ctime ?? 0) + 1);
		const remark: SimRemark = {
			aid: 0,
			bvid: '',
			id: this.nextRemarkId++,
			mid: 19978396,
			reply_mid: this.mid,
			elec_num: 0,
			state: 0,
			aname: '',
			uname: 'HANSOOOOOL',
			avator: 'http://i1.hdslb.com/bfs/face/5c22af0261b8b3f9a54b6e0038e35430e9ed9cfd.jpg',
			reply_name: '',
			reply_avator: '',
			reply_msg: '',
			reply_time: 0,
			...input,
			ctime,
		};
		remark.id = input.id ?? remark.id;
		this.remarks.push(remark);
		this.remarks.sort((a, b) => a.ctime - b.ctime || a.id - b.id);
		return remark;
	}

	/** A remark the UP deleted (or Bilibili hid): later list pages shift up by one. */
	removeRemark(id: number): boolean {
		const i = this.remarks.findIndex((r) => r.id === id);
		if (i >= 0) this.remarks.splice(i, 1);
		return i >= 0;
	}

	findRemark(id: number): SimRemark | undefined {
		return this.remarks.find((r) => r.id === id);
	}
}
