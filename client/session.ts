/**
 * Keeping a login alive (cookie-refresh.md): is a refresh due, and the refresh itself
 * (correspondPath → refresh_csrf → cookie/refresh → hand over → confirm/refresh). The new cookies and
 * refresh token reach the caller before the old session is confirmed away; the client then uses them.
 * A failure before the hand-over leaves the old session as it was and names the step.
 */
import { BilibiliApiError, BilibiliValidationError, unexpectedAnswer } from './errors';
import { isObject } from './shape';
import type { Endpoint } from './transport/hosts';
import type { Transport } from './transport/transport';
import { textUpTo } from './validate';

export const SESSION_ENDPOINTS = {
	getRefreshStatus: {
		name: 'session.getRefreshStatus',
		method: 'GET',
		host: 'passport',
		path: '/x/passport-login/web/cookie/info',
	},
	correspond: {
		name: 'session.correspond',
		method: 'GET',
		host: 'www',
		path: '/correspond/1/',
	},
	refresh: {
		name: 'session.refresh',
		method: 'POST',
		host: 'passport',
		path: '/x/passport-login/web/cookie/refresh',
	},
	confirm: {
		name: 'session.confirm',
		method: 'POST',
		host: 'passport',
		path: '/x/passport-login/web/confirm/refresh',
	},
} as const satisfies Record<string, Endpoint>;

/** Bilibili's public key for correspondPath (cookie-refresh.md); the simulator has its own. */
export const BILIBILI_REFRESH_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDLgd2OAkcGVtoE3ThUREbio0Eg
Uc/prcajMKXvkCKFCWhJYJcLkcM2DKKcSeFpD/j6Boy538YXnR6VhcuUJOhH2x71
nzPjfdTcqMz7djHum0qSZA0AyCBDABUqCrfNgCiJ00Ra7GmRj+YCK1NJEuewlb40
JNrRuoEUXpabUzGB8QIDAQAB
-----END PUBLIC KEY-----`;

export interface RefreshStatus {
	/** Bilibili asks for a refresh: the session will stop working if it is not done. */
	refresh: boolean;
	/** Bilibili's clock (ms), used for correspondPath. */
	timestamp: number;
}

/** What a refresh hands over: store all of it, then let the client confirm. */
export interface RefreshedSession {
	SESSDATA: string;
	bili_jct: string;
	DedeUserID: string;
	/** The refresh token for the next refresh (the old one is spent). */
	refresh_token: string;
}

export type RefreshStep = 'check' | 'correspond' | 'refresh' | 'persist' | 'confirm';

/** A refresh that stopped at `step`. Before `confirm`, the old session is still the one in use. */
export class BilibiliSessionRefreshError extends Error {
	readonly step: RefreshStep;
	/** The new session was handed over and is in use (the failure was at confirm). */
	readonly switched: boolean;
	/**
	 * The refresh may have happened, spending the refresh token: not to be run again blindly (the old
	 * cookies keep working until Bilibili ends them; a refused next refresh means logging in again).
	 */
	readonly tokenMaySpent: boolean;
	readonly cause?: unknown;

	constructor(
		step: RefreshStep,
		reason: string,
		switched: boolean,
		cause?: unknown,
		tokenMaySpent = switched,
	) {
		const after = switched
			? 'The new cookies are in use and were handed over; the old session was not confirmed away and expires on its own'
			: tokenMaySpent
				? 'The refresh may have happened, so its refresh token may be spent; the old cookies still work until Bilibili ends them. Do not repeat it blindly: if the next refresh is refused, log in again (bilibili-login)'
				: 'Nothing changed: the old cookies are still in use';
		super(`Session refresh failed at "${step}": ${reason}. ${after}`);
		this.name = 'BilibiliSessionRefreshError';
		this.step = step;
		this.switched = switched;
		this.tokenMaySpent = tokenMaySpent;
		this.cause = cause;
	}
}

/**
 * Nothing happened, the token is unspent: Bilibili refused the refresh with a code (HTTP 200), or it
 * was never sent (bad input, such as no bili_jct, is caught before the request leaves).
 */
function refused(err: unknown): boolean {
	if (err instanceof BilibiliValidationError) return true;
	return (
		err instanceof BilibiliApiError &&
		(err.notSent ||
			(typeof err.code === 'number' && (err.httpStatus === undefined || err.httpStatus === 200)))
	);
}

/**
 * What a -101 means for a login that was alive at its last check and can be refreshed: the same login
 * is kept alive in another place too (n8n and Node-RED, two Node-RED instances, the browser it was
 * copied from), and that place's refresh ended it here.
 */
export const REFRESHED_ELSEWHERE =
	"This login was refreshed elsewhere: the same login is kept alive in another place (n8n, another Node-RED, another account node, or the browser it came from), and that refresh ended it here. Give each place its own login: log in once per place with the QR code (bilibili-login, or the account node's QR dialog in Node-RED), never copy one login into two places";

export interface RefreshOptions {
	/** The refresh token of the current session (from the QR login, or the previous refresh). */
	refreshToken: string;
	/**
	 * Store the new session. Awaited before the old one is confirmed away: if it throws, nothing is
	 * confirmed and the client keeps the old cookies.
	 */
	onRefreshed(session: RefreshedSession): void | Promise<void>;
	/** Refresh even when Bilibili does not ask for it. */
	force?: boolean;
	/**
	 * Confirm the refresh, ending the old session (default true). false leaves both working, for a host
	 * that cannot switch its stored cookies itself (n8n): the old ones keep working until the user
	 * stores the new ones.
	 */
	confirm?: boolean;
	/** This refresh's key, when the client's (default Bilibili's) is not the one (a test double). */
	refreshPublicKey?: string;
	signal?: AbortSignal;
}

export interface SessionOptions {
	/** PEM of the key correspondPath is encrypted with; default Bilibili's. */
	refreshPublicKey?: string;
}

/** Thrown by a step; `scrub` cleans the reason (a persist error may quote what it failed to store). */
function stepError(
	step: RefreshStep,
	switched = false,
	tokenMaySpent = switched,
	scrub: (text: string) => string = (text) => text,
) {
	return (err: unknown): never => {
		const reason = scrub(err instanceof Error ? err.message : String(err));
		throw new BilibiliSessionRefreshError(step, reason, switched, err, tokenMaySpent);
	};
}

/** The refresh POST failed: spent only if Bilibili may have done it (no definite refusal). */
function refreshFailed(err: unknown): never {
	return stepError('refresh', false, !refused(err))(err);
}

/** A cookie's expiry attributes say it is being deleted (`Max-Age=0`, an Expires in the past). */
function expired(attributes: string[], now: number): boolean {
	for (const attribute of attributes) {
		const eq = attribute.indexOf('=');
		const name = (eq < 0 ? attribute : attribute.slice(0, eq)).trim().toLowerCase();
		const value = eq < 0 ? '' : attribute.slice(eq + 1).trim();
		if (name === 'max-age' && /^-?\d+$/.test(value) && Number(value) <= 0) return true;
		if (name === 'expires' && Date.parse(value) <= now) return true;
	}
	return false;
}

/**
 * name=value of the cookies a refresh sets. Bilibili sends each cookie for several domains and may
 * clear old ones in the same answer: an empty or expiring entry (`SESSDATA=; Max-Age=0`) is a
 * deletion, never the new value; of the rest the last wins. Quotes around a value are not part of it.
 */
export function readSetCookies(
	headers: readonly string[] | undefined,
	now = Date.now(),
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const header of headers ?? []) {
		const [pair, ...attributes] = header.split(';');
		const eq = pair.indexOf('=');
		if (eq <= 0) continue;
		const name = pair.slice(0, eq).trim();
		let value = pair.slice(eq + 1).trim();
		if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
			value = value.slice(1, -1).trim();
		if (!value || expired(attributes, now)) continue;
		out[name] = value;
	}
	return out;
}

/** What refresh_csrf looks like (32 hex characters on Bilibili); anything else is not sent. */
const REFRESH_CSRF_FORM = /^[A-Za-z0-9_-]{8,128}$/;

/**
 * The refresh_csrf in the correspond page: the text of the element with id "1-name", whatever its
 * other attributes, quotes or letter case. Throws (nothing sent yet) when it is missing, blank or not
 * in the expected form.
 */
export function readRefreshCsrf(page: string): string {
	const element =
		/<div\b[^>]*?\sid\s*=\s*(?:"1-name"|'1-name'|1-name(?=[\s>/]))[^>]*>([^<]*)<\/div\s*>/i.exec(
			page,
		);
	const what = !element
		? 'no refresh_csrf in the page'
		: !element[1].trim()
			? 'the refresh_csrf in the page is empty'
			: !REFRESH_CSRF_FORM.test(element[1].trim())
				? `the refresh_csrf in the page is not a token (${element[1].trim().length} characters)`
				: '';
	if (what) throw unexpectedAnswer(SESSION_ENDPOINTS.correspond.name, what);
	return element![1].trim();
}

/** RSA-OAEP (SHA-256) of `refresh_<timestamp>`, lowercase hex, with WebCrypto (no import needed). */
export async function correspondPath(timestamp: number, publicKeyPem: string): Promise<string> {
	const base64 = publicKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
	const der = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
	const key = await crypto.subtle.importKey(
		'spki',
		der,
		{ name: 'RSA-OAEP', hash: 'SHA-256' },
		false,
		['encrypt'],
	);
	const sealed = await crypto.subtle.encrypt(
		{ name: 'RSA-OAEP' },
		key,
		new TextEncoder().encode(`refresh_${timestamp}`),
	);
	return [...new Uint8Array(sealed)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function sessionApi(t: Transport, options: SessionOptions = {}) {
	const publicKey = options.refreshPublicKey ?? BILIBILI_REFRESH_PUBLIC_KEY;

	async function getRefreshStatus(signal?: AbortSignal): Promise<RefreshStatus> {
		const e = SESSION_ENDPOINTS.getRefreshStatus;
		const res = await t.request(e, { query: { csrf: t.csrf }, signal });
		const data = res.data;
		if (!isObject(data) || typeof data.refresh !== 'boolean' || typeof data.timestamp !== 'number')
			throw unexpectedAnswer(e.name, 'no refresh flag or timestamp');
		return { refresh: data.refresh, timestamp: data.timestamp };
	}

	let running: Promise<RefreshedSession | undefined> | undefined;

	return {
		getRefreshStatus,

		/**
		 * Refreshes the login when Bilibili asks for it (or `force`). Resolves with the new session, or
		 * undefined when no refresh was due. A second call while one runs gets the same outcome: a
		 * refresh spends its token, so two at once would leave one of them with a dead session.
		 */
		refresh(opts: RefreshOptions): Promise<RefreshedSession | undefined> {
			running ??= refreshOnce(opts).finally(() => (running = undefined));
			return running;
		},

		/**
		 * Sends later requests with a session another client of the same account refreshed (its
		 * onRefreshed), so every client of a host keeps working once the old session is confirmed away.
		 */
		use(
			session: Pick<RefreshedSession, 'SESSDATA' | 'bili_jct' | 'DedeUserID'> &
				Partial<Pick<RefreshedSession, 'refresh_token'>>,
		): void {
			// The refresh token is scrubbed here too: this client may see it echoed.
			if (session.refresh_token) t.addSecrets([session.refresh_token]);
			t.switchSession({
				SESSDATA: session.SESSDATA,
				bili_jct: session.bili_jct,
				DedeUserID: session.DedeUserID,
			});
		},

		/**
		 * Ends the session a refresh with `confirm: false` replaced, for a host that sends the confirm
		 * later, once its stored login is the new one (n8n): this client must carry the new cookies, and
		 * `oldRefreshToken` is the token that refresh spent.
		 */
		async confirm(oldRefreshToken: string, signal?: AbortSignal): Promise<void> {
			const token = textUpTo('refreshToken', oldRefreshToken, 200);
			if (!token)
				throw new BilibiliValidationError(
					'refreshToken',
					'the refresh_token the refresh spent',
					'nothing',
				);
			t.addSecrets([token]);
			await t.request(SESSION_ENDPOINTS.confirm, { form: { refresh_token: token }, signal });
		},
	};

	async function refreshOnce(opts: RefreshOptions): Promise<RefreshedSession | undefined> {
		const oldToken = textUpTo('refreshToken', opts.refreshToken, 200);
		if (!oldToken)
			throw new BilibiliValidationError(
				'refreshToken',
				'the refresh_token of this login (bilibili-login prints it)',
				'nothing',
			);
		// A refresh token is as secret as the cookies: scrubbed from every error and log text.
		t.addSecrets([oldToken]);
		const signal = opts.signal;
		const status = await getRefreshStatus(signal).catch(stepError('check'));
		if (!status.refresh && !opts.force) return undefined;

		const path = await correspondPath(status.timestamp, opts.refreshPublicKey || publicKey).catch(
			stepError('correspond'),
		);
		const page = await t
			.request(
				{ ...SESSION_ENDPOINTS.correspond, path: SESSION_ENDPOINTS.correspond.path + path },
				{ text: true, signal },
			)
			.catch(stepError('correspond'));
		const refreshCsrf = await Promise.resolve(String(page.data))
			.then(readRefreshCsrf)
			.catch(stepError('correspond'));

		let setCookies: string[] | undefined;
		const answer = await t
			.request(SESSION_ENDPOINTS.refresh, {
				form: { refresh_csrf: refreshCsrf, source: 'main_web', refresh_token: oldToken },
				onAnswer: (a) => (setCookies = a.setCookies),
				signal,
			})
			.catch(refreshFailed);
		const data = isObject(answer.data) ? answer.data : {};
		const cookies = readSetCookies(setCookies);
		const session: RefreshedSession = {
			SESSDATA: cookies.SESSDATA ?? '',
			bili_jct: cookies.bili_jct ?? '',
			// The account does not change: the mid known before stands in for a missing cookie.
			DedeUserID: cookies.DedeUserID ?? t.dedeUserId ?? '',
			refresh_token: typeof data.refresh_token === 'string' ? data.refresh_token.trim() : '',
		};
		// Secret from the moment they are read: no error or log text from here on shows them.
		const fresh = [session.SESSDATA, session.bili_jct, session.refresh_token].filter(Boolean);
		t.addSecrets(fresh);
		const scrub = (text: string) => t.redact(text);
		// Code 0: Bilibili made the new session, so the old token is spent even though it cannot be used.
		const spent = stepError('refresh', false, true, scrub);
		if (data.status !== undefined && data.status !== 0)
			spent(
				unexpectedAnswer(
					SESSION_ENDPOINTS.refresh.name,
					`status ${String(data.status)}${typeof data.message === 'string' && data.message ? ` (${data.message})` : ''} instead of 0`,
				),
			);
		const missing = Object.entries(session)
			.filter(([, v]) => !v)
			.map(([k]) => k);
		if (missing.length)
			spent(
				unexpectedAnswer(SESSION_ENDPOINTS.refresh.name, `no ${missing.join(', ')} in the answer`),
			);

		// Both sessions work until confirm: the caller stores the new one first, so a crash here
		// cannot leave only a dead session.
		await Promise.resolve()
			.then(() => opts.onRefreshed({ ...session }))
			.catch(stepError('persist', false, true, scrub));
		t.switchSession({
			SESSDATA: session.SESSDATA,
			bili_jct: session.bili_jct,
			DedeUserID: session.DedeUserID,
		});
		if (opts.confirm === false) return session;
		await t
			.request(SESSION_ENDPOINTS.confirm, { form: { refresh_token: oldToken }, signal })
			.catch(stepError('confirm', true));
		return session;
	}
}

export type SessionApi = ReturnType<typeof sessionApi>;
