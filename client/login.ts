/**
 * Web login by QR code (login-qr.md): a key and its URL shown as a QR code, polled until the Bilibili
 * app confirms; the cookies come back in the answer's URL. Anonymous requests: nothing is sent but the
 * key. The cookies received are secrets from the moment they arrive: they are only handed to the
 * `confirmed` event and the result, never put in an error or a log.
 */
import { BilibiliApiError, unexpectedAnswer } from './errors';
import { renderQrCode, type QrFormat, type RenderedQr } from './qr';
import { isObject } from './shape';
import { BROWSER_USER_AGENT, HOSTS, type Endpoint } from './transport/hosts';
import type { Runtime } from './transport/runtime';
import { linkSignals } from './transport/signals';
import { readBaseUrl, readRuntime } from './transport/options';
import { abortError, pauseWith } from './transport/timing';
import { optionalInteger, own } from './validate';

export const LOGIN_ENDPOINTS = {
	generate: {
		name: 'login.generateQrCode',
		method: 'GET',
		host: 'passport',
		path: '/x/passport-login/web/qrcode/generate',
	},
	poll: {
		name: 'login.pollQrCode',
		method: 'GET',
		host: 'passport',
		path: '/x/passport-login/web/qrcode/poll',
	},
} satisfies Record<string, Endpoint>;

/** A login key lives 180 s. */
export const LOGIN_QR_VALID_MS = 180_000;
const MIN_POLL_MS = 1000;

export interface LoginCookies {
	SESSDATA: string;
	bili_jct: string;
	DedeUserID: string;
	/** For `client.session.refresh` when Bilibili asks for a refresh; as secret as the cookies. */
	refresh_token: string;
}

export type QrLoginEvent =
	| ({ type: 'created'; url: string; qrcode_key: string; expires_at: string } & RenderedQr)
	| { type: 'scanned' }
	| ({ type: 'confirmed' } & LoginCookies)
	| { type: 'expired'; renewing: boolean };

export interface QrLoginOptions {
	runtime: Runtime;
	/** Send to this origin instead of passport.bilibili.com (a proxy, or the simulator). */
	baseUrl?: string;
	/** Time between polls; at least 1000 ms, default 1000. */
	intervalMs?: number;
	/** The whole login, all codes included; default 180 s (one code's life), at most 1 h. */
	timeoutMs?: number;
	/** On expiry, show a fresh code instead of failing (until timeoutMs). Default false. */
	renew?: boolean;
	/** Renderings attached to `created`. Default PNG. */
	render?: readonly QrFormat[];
	signal?: AbortSignal;
	onEvent?(event: QrLoginEvent): void;
}

/** Thrown when the code expired (and was not renewed) or the time ran out. */
export class BilibiliLoginExpiredError extends BilibiliApiError {
	constructor(why: string) {
		super({
			code: 'LOGIN_EXPIRED',
			endpoint: LOGIN_ENDPOINTS.poll.name,
			explanation: why,
			retryable: false,
		});
		this.name = 'BilibiliLoginExpiredError';
	}
}

/** Logs in by QR code; resolves with the three cookies once the app confirms. */
export async function loginWithQrCode(options: QrLoginOptions): Promise<LoginCookies> {
	const runtime = readRuntime(own(options, 'runtime'));
	const origin = readBaseUrl(own(options, 'baseUrl')) ?? HOSTS.passport;
	const interval = optionalInteger(
		'intervalMs',
		own(options, 'intervalMs'),
		MIN_POLL_MS,
		MIN_POLL_MS,
		60_000,
	);
	const total = optionalInteger(
		'timeoutMs',
		own(options, 'timeoutMs'),
		LOGIN_QR_VALID_MS,
		1000,
		60 * 60_000,
	);
	const sleep = pauseWith(runtime);
	const emit = (event: QrLoginEvent) => options.onEvent?.(event);
	const whole = linkSignals([own(options, 'signal')], { ms: total, runtime });
	try {
		for (;;) {
			const created = await call(LOGIN_ENDPOINTS.generate, {});
			const url = typeof created.url === 'string' ? created.url : '';
			const key = typeof created.qrcode_key === 'string' ? created.qrcode_key : '';
			if (!url || !/^[0-9a-zA-Z]{16,64}$/.test(key))
				throw unexpectedAnswer(LOGIN_ENDPOINTS.generate.name, 'no url or qrcode_key');
			const expiresAt = Date.now() + LOGIN_QR_VALID_MS;
			emit({
				type: 'created',
				url,
				qrcode_key: key,
				expires_at: new Date(expiresAt).toISOString(),
				...(await renderQrCode(url, options.render ?? ['png'])),
			});
			let scanned = false;
			for (;;) {
				await sleep(interval, whole.signal).catch(() => {
					throw ended();
				});
				const state = await call(LOGIN_ENDPOINTS.poll, { qrcode_key: key });
				const code = state.code;
				if (code === 86101) continue;
				if (code === 86090) {
					if (!scanned) emit({ type: 'scanned' });
					scanned = true;
					continue;
				}
				if (code === 86038) break;
				if (code === 0) {
					const cookies = {
						...cookiesFrom(typeof state.url === 'string' ? state.url : ''),
						refresh_token: typeof state.refresh_token === 'string' ? state.refresh_token : '',
					};
					emit({ type: 'confirmed', ...cookies });
					return cookies;
				}
				throw unexpectedAnswer(LOGIN_ENDPOINTS.poll.name, `state code ${String(code)}`);
			}
			const renewing = options.renew === true;
			emit({ type: 'expired', renewing });
			if (!renewing)
				throw new BilibiliLoginExpiredError(
					'The QR code expired before the app confirmed the login; run it again for a new code',
				);
		}
	} finally {
		whole.dispose();
	}

	function ended(): BilibiliApiError {
		return whole.reason === 'deadline'
			? new BilibiliLoginExpiredError(`No login confirmed within ${Math.round(total / 1000)} s`)
			: abortError(LOGIN_ENDPOINTS.poll.name);
	}

	async function call(
		endpoint: Endpoint,
		query: Record<string, string>,
	): Promise<Record<string, unknown>> {
		const linked = linkSignals([whole.signal], { ms: 15_000, runtime });
		let answer;
		try {
			answer = await runtime.send({
				method: 'GET',
				url: origin + endpoint.path,
				query,
				headers: {
					'User-Agent': BROWSER_USER_AGENT,
					Referer: 'https://www.bilibili.com/',
					Origin: 'https://www.bilibili.com',
					Accept: 'application/json, text/plain, */*',
				},
				auth: { cookie: '' },
				signal: linked.signal,
				timeoutMs: 15_000,
				maxAnswerBytes: 1024 * 1024,
			});
		} catch {
			if (whole.signal.aborted) throw ended();
			// The error is not passed on: an HTTP library's error may carry the answer (the cookies).
			throw noAnswer(endpoint, linked.reason === 'deadline');
		} finally {
			linked.dispose();
		}
		let json: unknown;
		try {
			json = JSON.parse(answer.body);
		} catch {
			json = undefined;
		}
		if (!isObject(json) || typeof json.code !== 'number')
			throw unexpectedAnswer(endpoint.name, `HTTP ${answer.status}, not a Bilibili answer`);
		if (json.code !== 0)
			throw new BilibiliApiError({
				code: json.code,
				endpoint: endpoint.name,
				httpStatus: answer.status,
				bilibiliMessage: String(json.message ?? '').slice(0, 200),
				retryable: false,
			});
		if (!isObject(json.data)) throw unexpectedAnswer(endpoint.name, 'no data');
		return json.data;
	}
}

function noAnswer(endpoint: Endpoint, timedOut: boolean): BilibiliApiError {
	return new BilibiliApiError({
		code: timedOut ? 'TIMEOUT' : 'NETWORK',
		endpoint: endpoint.name,
		explanation: 'Network error: no answer from the login service',
		retryable: false,
	});
}

/** The cookies from the confirmed answer's cross-domain URL; never echoed if something is missing. */
function cookiesFrom(url: string): Omit<LoginCookies, 'refresh_token'> {
	let query: URLSearchParams;
	try {
		query = new URL(url).searchParams;
	} catch {
		throw unexpectedAnswer(
			LOGIN_ENDPOINTS.poll.name,
			'the login was confirmed but the answer has no cookie URL',
		);
	}
	const SESSDATA = query.get('SESSDATA') ?? '';
	const bili_jct = query.get('bili_jct') ?? '';
	const DedeUserID = query.get('DedeUserID') ?? '';
	const missing = [
		!SESSDATA && 'SESSDATA',
		!bili_jct && 'bili_jct',
		!/^\d+$/.test(DedeUserID) && 'DedeUserID',
	].filter(Boolean);
	if (missing.length)
		throw unexpectedAnswer(
			LOGIN_ENDPOINTS.poll.name,
			`the login was confirmed but ${missing.join(', ')} missing`,
		);
	// As the browser stores it: SESSDATA's commas encoded.
	return { SESSDATA: SESSDATA.replace(/,/g, '%2C'), bili_jct, DedeUserID };
}
