/**
 * The one place that talks HTTP: cookies and csrf, browser-like headers, per-host pacing, retries of
 * idempotent GETs, an overall deadline per request, and turning every failure into a BilibiliApiError
 * with no secret in it.
 */
import {
	BILIBILI_CODES,
	BilibiliApiError,
	BilibiliOutcomeUnknownError,
	BilibiliRiskControlError,
	BilibiliValidationError,
	unexpectedAnswer,
} from '../errors';
import { accountKeys, processLedger, type SpendingLimits, type SpendingStore } from '../spending';
import { own } from '../validate';
import { CLIENT_CLOSED } from './accountCache';
import { deviceCookies, deviceCookiesNow, fetchDevice } from './device';
import { fetchTicket, ticketCookie, ticketCookieNow } from './ticket';
import { BROWSER_USER_AGENT, HOSTS, type Endpoint } from './hosts';
import { HostLimiter, type RateLimitOptions } from './limiter';
import { checkCredentials, cookieHeader, type BilibiliCredentials } from './cookies';
import type { MultipartFile } from './multipart';
import {
	readRuntime,
	readSettings,
	type ClientSettings,
	type Logger,
	type RetryOptions,
} from './options';
import { MAX_ANSWER_DEPTH, redact, redactAnswer, TOO_DEEP } from './redact';
import { AnswerTooLargeError, type HttpAnswer, type HttpExchange, type Runtime } from './runtime';
import { linkSignals, untilAborted } from './signals';
import { abortError, backoffDelay, pauseWith } from './timing';

export type { BilibiliCredentials, Logger, RetryOptions };

export interface TransportOptions {
	credentials: BilibiliCredentials;
	/** How requests are sent and time passes: n8n's helpers in n8n, node:http and Node's timers elsewhere. */
	runtime: Runtime;
	/** Send every request to this origin with the same paths (a proxy, or the simulator). */
	baseUrl?: string;
	/** Longest time one request may take, from sending to the last byte of the answer. 100 ms..1 h, default 15 s. */
	timeoutMs?: number;
	/** The same for a whole file upload. 1 s..24 h, default 15 min. */
	uploadTimeoutMs?: number;
	retry?: RetryOptions;
	/** Per-host pacing; `false` turns it off. */
	rateLimit?: RateLimitOptions | false;
	userAgent?: string;
	logger?: Logger;
	/**
	 * What the host knows about why a login ended, added to a -101's explanation (Node-RED's account
	 * says "this login was refreshed elsewhere" when it can tell). Undefined: Bilibili's words alone.
	 */
	loggedOutHint?: () => string | undefined;
	/** B-coin spending guard; defaults 50 per charge, 200 per 24 hours. */
	spendingLimits?: SpendingLimits;
	/** Keeps the account's 24-hour spending across a restart (Node-RED: a file in the user directory). */
	spendingStore?: SpendingStore;
	/**
	 * Without a buvid3 cookie, fetch a browser identity (buvid3/buvid4) once per account and process and
	 * send it, as a browser does; Bilibili's risk control answers -352 to requests without one. Default true.
	 */
	fetchBuvid?: boolean;
	/** Fetch a bili_ticket (GenWebTicket), renew it before it expires, and send it. Default false. */
	biliTicket?: boolean;
}

export interface RequestOptions {
	query?: Record<string, string | number | undefined>;
	form?: Record<string, string | number | boolean | undefined>;
	/** Sent as multipart/form-data; csrf is added like for a form. */
	multipart?: { fields: Record<string, string>; file: MultipartFile };
	signal?: AbortSignal;
	/** This request may move money (as the endpoint's own flag): only a proven refusal is a definite failure. */
	movesMoney?: boolean;
	/** The answer is a page, not JSON: `data` is its text (HTTP 200 only). */
	text?: boolean;
	/** Hears the raw answer before it is parsed (a session refresh reads its Set-Cookie headers). */
	onAnswer?: (answer: HttpAnswer) => void;
}

/** A Bilibili JSON answer: `code` plus whatever else the endpoint sends. */
export type Envelope = { code: number; message?: string; msg?: string; data?: unknown } & Record<
	string,
	unknown
>;

const TRANSIENT_HTTP = new Set([412, 429]);
/** The fetched cookies as one Cookie header part, or undefined when there are none. */
const joinCookies = (...parts: Array<string | undefined>) =>
	parts.filter(Boolean).join('; ') || undefined;
/** The engine (n8n's domain allow-list or SSRF guard) refused the request before sending it. */
export const REFUSED_BY_HOST = 'ERR_REFUSED_BEFORE_SENDING';
const NOT_SENT = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ERR_INVALID_URL',
	// The proxy refused the tunnel or the forward (407, 403), or its address is unusable.
	'ERR_PROXY_REFUSED',
	'ERR_PROXY_INVALID',
	REFUSED_BY_HOST,
]);
/**
 * Answers to a money request that prove it was refused before anything moved: not logged in, csrf
 * mismatch, bad request (charge-quick-bcoin.txt), the minimum and balance refusals, and risk control
 * (-412 request intercepted, -352 check failed: Bilibili's general codes for a request it turned away).
 */
export const MONEY_REFUSALS: ReadonlySet<number> = new Set([
	-101, -111, -400, -412, -352, 88201, 800409904,
]);
const MAX_ANSWER_BYTES = 20 * 1024 * 1024;
/** Host limiters by account, host and pacing settings, for the life of the process. */
const LIMITERS = new Map<string, HostLimiter>();

export class Transport {
	#cookies: BilibiliCredentials;
	readonly #secrets: string[];
	#keys?: { login: string; keys: string[] };
	private readonly spendingStore?: SpendingStore;
	private readonly runtime: Runtime;
	private readonly settings: ClientSettings;
	/** The runtime's sleep; rejects with ABORTED. Watchers built on this client pace with it. */
	readonly sleep: Runtime['sleep'];
	/** Aborted by close(): ends every call wherever it is (queued, pacing, backoff, in flight). */
	private readonly closing = new AbortController();

	constructor(options: TransportOptions) {
		if (options === null || typeof options !== 'object')
			throw new BilibiliValidationError('options', 'an object with credentials', typeof options);
		this.#cookies = checkCredentials(own(options, 'credentials'));
		this.#secrets = [this.#cookies.SESSDATA, this.#cookies.bili_jct ?? ''].filter(Boolean);
		// Cookies live only in the private field, so inspecting the transport shows none.
		this.settings = readSettings(options);
		const runtime = readRuntime(own(options, 'runtime'));
		this.runtime = runtime;
		this.sleep = pauseWith(runtime);
		// A client that knows both its mid and its login tells the ledger they are one account.
		processLedger.link(this.accountKeys);
		this.spendingStore = readStore(own(options, 'spendingStore'));
		if (this.spendingStore) {
			try {
				processLedger.restore(this.accountKeys, this.spendingStore.load());
			} catch (err) {
				// Unreadable: this process's own count still holds; the file is written anew at the next charge.
				this.settings.logger?.warn?.(`spending store not read: ${(err as Error).message}`);
			}
		}
	}

	/**
	 * Sends later requests with a refreshed login (session.ts). The account must stay the same; the old
	 * values stay in the scrub list, so an answer echoing them still shows none.
	 */
	switchSession(next: BilibiliCredentials): void {
		const checked = checkCredentials(next);
		if (this.dedeUserId && checked.DedeUserID && checked.DedeUserID !== this.dedeUserId)
			throw new BilibiliValidationError(
				'DedeUserID',
				`the same account (${this.dedeUserId})`,
				'another mid',
			);
		const before = this.accountKeys;
		// A refresh renews the login, not the device: a buvid3 the user gave stays.
		this.#cookies = {
			...this.#cookies,
			SESSDATA: checked.SESSDATA,
			bili_jct: checked.bili_jct ?? this.#cookies.bili_jct,
			DedeUserID: checked.DedeUserID ?? this.#cookies.DedeUserID,
			buvid3: checked.buvid3 ?? this.#cookies.buvid3,
		};
		this.#secrets.push(...[checked.SESSDATA, checked.bili_jct ?? ''].filter(Boolean));
		// The old login's and the new login's names are one account: one spending budget.
		processLedger.link([...before, ...this.accountKeys]);
	}

	/** A text with every secret this client knows replaced (errors it did not make itself). */
	redact(text: string): string {
		return this.scrub(text);
	}

	/** More values to scrub from every text this client hands out (a refresh token). */
	addSecrets(values: string[]): void {
		this.#secrets.push(...values.filter(Boolean));
	}

	/** The current csrf token (bili_jct), for the session endpoints that take it in the query. */
	get csrf(): string {
		return this.#cookies.bili_jct ?? '';
	}

	/** The logged-in account's mid from the DedeUserID cookie, if it was given. */
	get dedeUserId(): string | undefined {
		return this.#cookies.DedeUserID === undefined ? undefined : String(this.#cookies.DedeUserID);
	}

	/** Every name of the logged-in account the ledger counts under (its mid, its login cookie's hash). */
	get accountKeys(): string[] {
		// Asked at every request (pacing, the shared device fetch): hashed once per login.
		const login = `${this.#cookies.SESSDATA}|${this.dedeUserId ?? ''}`;
		if (this.#keys?.login !== login)
			this.#keys = { login, keys: accountKeys(this.#cookies.SESSDATA, this.dedeUserId) };
		return this.#keys.keys;
	}

	/** Whom this client acts for, for pacing and trigger gates: the mid when known, else the login's hash. */
	get accountKey(): string {
		return this.accountKeys[0];
	}

	/** Counts a B-coin charge against the spending limits before it is sent; returns its refund. */
	reserveSpending(bp: number): () => void {
		const refund = processLedger.reserve(this.accountKeys, bp, this.settings.spendingLimits);
		// Kept before it is sent: a restart after sending must still count it.
		const failed = this.saveSpending();
		if (failed) {
			refund();
			throw new BilibiliValidationError(
				'spendingStore',
				'a store that keeps the charge before it is sent',
				'a store that failed',
				`Not sent: the charge could not be recorded in the spending store (${failed})`,
			);
		}
		return () => {
			refund();
			// If this fails, the store still counts the refused charge: it errs toward spending less.
			this.saveSpending();
		};
	}

	/** Writes the account's counted charges to the store; the reason when that failed. */
	private saveSpending(): string | undefined {
		try {
			this.spendingStore?.save(processLedger.records(this.accountKeys));
			return undefined;
		} catch (err) {
			return (err as Error).message ?? String(err);
		}
	}

	/** The spending limits this client was given (with defaults). */
	get spendingLimits(): Required<SpendingLimits> {
		return this.settings.spendingLimits;
	}

	/** B-coins this process counted for the account in the last 24 hours. */
	spentToday(): number {
		return processLedger.spent(this.accountKeys);
	}

	/** A server-supplied text with the credential's secrets replaced, for errors, logs and outputs. */
	private scrub(text: string): string {
		return redact(text, this.#secrets);
	}

	async request(endpoint: Endpoint, options: RequestOptions = {}): Promise<Envelope> {
		this.preflight(endpoint);
		const retry = this.settings.retry;
		const attempts = endpoint.method === 'GET' ? retry.retries + 1 : 1;
		for (let attempt = 0; ; attempt++) {
			let err: unknown;
			try {
				return await this.once(endpoint, options);
			} catch (failure) {
				err = failure;
			}
			if (!(err instanceof BilibiliApiError) || !err.retryable || attempt + 1 >= attempts)
				throw err;
			const delay = backoffDelay(attempt, retry);
			this.settings.logger?.warn?.(
				`${endpoint.name}: ${err.code} (attempt ${attempt + 1}/${attempts}), retrying in ${delay} ms`,
			);
			const linked = linkSignals([options.signal, this.closing.signal]);
			try {
				await this.sleep(delay, linked.signal);
			} catch {
				throw abortError(endpoint.name);
			} finally {
				linked.dispose();
			}
		}
	}

	/** Ends every call in progress and closes idle keep-alive connections; later calls fail at once. */
	close(): void {
		this.closing.abort();
		this.runtime.close?.();
	}

	get closed(): boolean {
		return this.closing.signal.aborted;
	}

	private preflight(endpoint: Endpoint): void {
		if (this.closing.signal.aborted) {
			throw new BilibiliApiError({
				code: 'ABORTED',
				endpoint: endpoint.name,
				explanation: 'The client was closed; nothing was sent',
				retryable: false,
				notSent: true,
			});
		}
		if (endpoint.method === 'POST' && !this.#cookies.bili_jct) {
			throw new BilibiliValidationError(
				'bili_jct',
				`the bili_jct cookie (${endpoint.name} is a POST and must send it as csrf)`,
				'nothing',
			);
		}
		if (endpoint.needsDedeUserID && !this.dedeUserId) {
			throw new BilibiliValidationError(
				'DedeUserID',
				`the DedeUserID cookie (${endpoint.name} authenticates with it)`,
				'nothing',
			);
		}
	}

	/** The device cookies if nothing has to be fetched or waited for; undefined otherwise. */
	private deviceNow(): { value: string | undefined } | undefined {
		const buvid = this.fetchesBuvid ? deviceCookiesNow(this.deviceAccount) : { value: undefined };
		const ticket = this.settings.biliTicket
			? ticketCookieNow(this.deviceAccount)
			: { value: undefined };
		return buvid && ticket && { value: joinCookies(buvid.value, ticket.value) };
	}

	/** The fetched browser identity (device.ts) and bili_ticket (ticket.ts) cookies, as a browser has them. */
	private async device(signal: AbortSignal): Promise<string | undefined> {
		const [device, ticket] = await Promise.all([this.buvid(signal), this.ticket(signal)]);
		return joinCookies(device, ticket);
	}

	/** Whether a browser identity is fetched: only when the user gave no buvid3 and did not turn it off. */
	private get fetchesBuvid(): boolean {
		return !this.#cookies.buvid3 && this.settings.fetchBuvid;
	}

	/** The key both shared fetches are held under: this account, at the API origin they are asked of. */
	private get deviceAccount(): string {
		return `${this.accountKey}|${this.settings.baseUrl ?? HOSTS.api}`;
	}

	private async ticket(signal: AbortSignal): Promise<string | undefined> {
		if (!this.settings.biliTicket) return undefined;
		const origin = this.settings.baseUrl ?? HOSTS.api;
		const fetched = ticketCookie(this.deviceAccount, () =>
			this.sharedFetch((own) =>
				fetchTicket(this.runtime, origin, this.csrf, this.browserHeaders(), own),
			),
		);
		return untilAborted(fetched, signal);
	}

	private async buvid(signal: AbortSignal): Promise<string | undefined> {
		if (!this.fetchesBuvid) return undefined;
		const origin = this.settings.baseUrl ?? HOSTS.api;
		const fetched = deviceCookies(this.deviceAccount, () =>
			this.sharedFetch((own) => fetchDevice(this.runtime, origin, this.browserHeaders(), own)),
		);
		return untilAborted(fetched, signal);
	}

	/**
	 * A fetch every request of the account shares (accountCache.ts): only close() or its own 10 s
	 * deadline ends it, never one caller's cancel; ended by close(), it fails with CLIENT_CLOSED.
	 */
	private sharedFetch<T>(send: (signal: AbortSignal) => Promise<T>): Promise<T> {
		const own = linkSignals([this.closing.signal], { ms: 10_000, runtime: this.runtime });
		return untilAborted(send(own.signal), own.signal)
			.catch((err: unknown) => Promise.reject(this.closing.signal.aborted ? closedError() : err))
			.finally(() => own.dispose());
	}

	/**
	 * The runtime's work before a write, on its own deadline (the hook's requests, one after another):
	 * nothing of the write is sent yet, so only a cancel or close() stops the write, as not sent.
	 */
	private async beforeWrite(
		endpoint: Endpoint,
		origin: string,
		signal: AbortSignal | undefined,
	): Promise<void> {
		if (!this.runtime.beforeWrite) return;
		const own = linkSignals([signal, this.closing.signal], {
			ms: 4 * this.settings.timeoutMs,
			runtime: this.runtime,
		});
		try {
			await untilAborted(
				this.runtime.beforeWrite(origin, own.signal).catch(() => undefined),
				own.signal,
			);
		} catch {
			if (own.reason === 'aborted') throw abortError(endpoint.name, true);
		} finally {
			own.dispose();
		}
	}

	private async once(endpoint: Endpoint, options: RequestOptions): Promise<Envelope> {
		const origin = this.settings.baseUrl ?? HOSTS[endpoint.host];
		const limiter = this.limiterFor(origin);
		if (endpoint.method === 'POST') await this.beforeWrite(endpoint, origin, options.signal);
		// Most requests wait for nothing: the device cookies are known and pacing is off.
		const known = this.deviceNow();
		let device = known?.value;
		if (known && !limiter) {
			// One turn first, as the wait used to give: a cancel or close() in the caller's same step
			// (`const p = charge(…); controller.abort()`) is then seen before anything is handed over.
			await undefined;
			if (options.signal?.aborted || this.closing.signal.aborted)
				throw abortError(endpoint.name, true);
		} else {
			const waiting = linkSignals([options.signal, this.closing.signal]);
			try {
				if (!known) device = await this.device(waiting.signal);
				await limiter?.acquire(waiting.signal);
			} catch {
				// Still queued or pacing: nothing was sent, even on a money path.
				throw abortError(endpoint.name, true);
			} finally {
				waiting.dispose();
			}
		}
		const started = Date.now();
		// The deadline covers the whole exchange: a server that trickles bytes cannot hold a call open,
		// whether or not the runtime honours the signal (the wait for it ends here either way).
		const deadline = options.multipart ? this.settings.uploadTimeoutMs : this.settings.timeoutMs;
		const money = endpoint.movesMoney === true || options.movesMoney === true;
		const linked = linkSignals([options.signal, this.closing.signal], {
			ms: deadline,
			runtime: this.runtime,
		});
		let answer: HttpAnswer;
		try {
			answer = await untilAborted(
				this.runtime.send(
					this.exchange(endpoint, origin, options, linked.signal, deadline, device),
				),
				linked.signal,
			);
			if (answer.body.length > MAX_ANSWER_BYTES) throw new AnswerTooLargeError(MAX_ANSWER_BYTES);
		} catch (err) {
			throw this.networkError(endpoint, err, linked.reason, money);
		} finally {
			linked.dispose();
			limiter?.release();
		}
		this.settings.logger?.debug?.(
			`${endpoint.method} ${endpoint.name} -> HTTP ${answer.status} in ${Date.now() - started} ms`,
		);
		options.onAnswer?.(answer);
		if (options.text) return this.parsePage(endpoint, answer);
		return money ? this.parseMoney(endpoint, answer) : this.parse(endpoint, answer);
	}

	/** A page's text, as an envelope with the text as `data`; any status but 200 is an error. */
	private parsePage(endpoint: Endpoint, answer: HttpAnswer): Envelope {
		if (answer.status === 200) return { code: 0, data: answer.body };
		throw new BilibiliApiError({
			code: 'HTTP_ERROR',
			endpoint: endpoint.name,
			httpStatus: answer.status,
			explanation: `Bilibili answered HTTP ${answer.status} for the page`,
			retryable: answer.status >= 500,
		});
	}

	/** What a browser sends with every request: risk control looks at these. */
	private browserHeaders(): Record<string, string> {
		return {
			'User-Agent': this.settings.userAgent ?? BROWSER_USER_AGENT,
			Referer: 'https://www.bilibili.com/',
			Origin: 'https://www.bilibili.com',
			Accept: 'application/json, text/plain, */*',
		};
	}

	/** Pacing is per account and host for the whole process, so every client of one account shares it. */
	private limiterFor(origin: string): HostLimiter | undefined {
		const opts = this.settings.rateLimit;
		if (opts === false) return undefined;
		const key = `${this.accountKey}|${origin}|${opts.maxConcurrent}|${opts.minIntervalMs}`;
		let limiter = LIMITERS.get(key);
		if (!limiter) {
			limiter = new HostLimiter(opts.maxConcurrent, opts.minIntervalMs, this.sleep);
			LIMITERS.set(key, limiter);
		}
		return limiter;
	}

	private exchange(
		endpoint: Endpoint,
		origin: string,
		options: RequestOptions,
		signal: AbortSignal,
		timeoutMs: number,
		device: string | undefined,
	): HttpExchange {
		let body: HttpExchange['body'];
		if (options.multipart)
			body = { type: 'multipart', fields: options.multipart.fields, file: options.multipart.file };
		else if (options.form) body = { type: 'form', fields: definedOnly(options.form) };
		return {
			method: endpoint.method,
			url: origin + endpoint.path,
			query: options.query ? definedOnly(options.query) : undefined,
			headers: this.browserHeaders(),
			body,
			auth: {
				cookie: device ? `${cookieHeader(this.#cookies)}; ${device}` : cookieHeader(this.#cookies),
				csrf: endpoint.method === 'POST' ? (this.#cookies.bili_jct ?? '') : undefined,
				device,
			},
			signal,
			timeoutMs,
			maxAnswerBytes: MAX_ANSWER_BYTES,
		};
	}

	private parse(endpoint: Endpoint, answer: HttpAnswer): Envelope {
		const status = answer.status;
		const body = answer.body;
		let json: unknown;
		try {
			json = JSON.parse(body);
		} catch {
			json = undefined;
		}
		// A server or proxy may echo the cookies back; nothing it sends reaches a caller unscrubbed.
		const scrubbed =
			json && typeof json === 'object' && typeof (json as Envelope).code === 'number'
				? redactAnswer(body, json, this.#secrets)
				: undefined;
		if (scrubbed === TOO_DEEP)
			throw unexpectedAnswer(endpoint.name, `answer nested deeper than ${MAX_ANSWER_DEPTH} levels`);
		const envelope = scrubbed as Envelope | undefined;

		if (!envelope) {
			const type = this.scrub(String(answer.contentType ?? 'no content type').split(';')[0])
				.replace(/[^\x20-\x7e]/g, '?')
				.slice(0, 80);
			const looksHtml = /^\s*</.test(body);
			throw new BilibiliApiError({
				code: status >= 400 ? 'HTTP_ERROR' : 'NOT_JSON',
				endpoint: endpoint.name,
				httpStatus: status,
				bilibiliMessage: '',
				explanation:
					status === 412
						? 'Blocked by Bilibili risk control (HTTP 412): requests came too fast or looked automated. Slow down and try later'
						: `Bilibili answered ${looksHtml ? 'an HTML page' : `"${type}"`} instead of JSON (HTTP ${status}), usually a gateway or risk-control page`,
				retryable: status >= 500 || status < 400 || TRANSIENT_HTTP.has(status),
			});
		}
		if (envelope.code === -352) {
			const data = envelope.data as Record<string, unknown> | undefined;
			throw new BilibiliRiskControlError(
				endpoint.name,
				status,
				String(envelope.message ?? '').slice(0, 500),
				typeof data === 'object' && data !== null && Boolean(own(data, 'v_voucher')),
			);
		}
		if (envelope.code !== 0) {
			// The host may know why a login ended (refreshed elsewhere): said beside Bilibili's -101.
			const hint = envelope.code === -101 ? this.settings.loggedOutHint?.() : undefined;
			throw new BilibiliApiError({
				code: envelope.code,
				endpoint: endpoint.name,
				httpStatus: status,
				bilibiliMessage: String(envelope.message ?? envelope.msg ?? '').slice(0, 500),
				explanation: hint ? `${BILIBILI_CODES['-101'].en}. ${hint}` : undefined,
			});
		}
		if (status >= 400) {
			throw new BilibiliApiError({
				code: 'HTTP_ERROR',
				endpoint: endpoint.name,
				httpStatus: status,
				explanation: `Unexpected HTTP ${status}`,
			});
		}
		return envelope;
	}

	/**
	 * A money request's answer. Only an answer that proves nothing moved is a definite failure: HTTP 200
	 * with one of the refusals the page documents (REFUSALS). Any other error (a server error, a
	 * service-call timeout, a 4xx page, an answer that cannot be read), whatever its body says, is an
	 * unknown outcome: it stays counted by the spending guard and is never retried.
	 */
	private parseMoney(endpoint: Endpoint, answer: HttpAnswer): Envelope {
		let envelope: Envelope | undefined;
		let failure: unknown;
		try {
			envelope = this.parse(endpoint, answer);
		} catch (err) {
			failure = err;
		}
		if (envelope && answer.status === 200) return envelope;
		// HTTP 412 is the gateway's risk-control refusal when it carries its page or the risk-control
		// codes. Any other JSON under 412 (code 0, an order_no or status) may come from the charge
		// service itself, so it proves nothing and falls through to an unknown outcome.
		if (answer.status === 412) {
			if (failure instanceof BilibiliRiskControlError) throw failure;
			const code = failure instanceof BilibiliApiError ? failure.code : undefined;
			if (code === -412 || !isJson(answer.body)) throw intercepted(endpoint, failure);
		}
		if (
			failure instanceof BilibiliApiError &&
			typeof failure.code === 'number' &&
			answer.status === 200 &&
			MONEY_REFUSALS.has(failure.code)
		)
			// -412 is transient for a read; a refused charge is never retried, by the client or its caller.
			throw failure.code === -412 ? intercepted(endpoint, failure, 200) : failure;
		const seen =
			failure instanceof BilibiliApiError && typeof failure.code === 'number'
				? `Bilibili answered code ${failure.code}${failure.bilibiliMessage ? ` (${failure.bilibiliMessage.slice(0, 100)})` : ''} with HTTP ${answer.status}, which does not prove the charge was not made`
				: failure instanceof BilibiliApiError
					? `${failure.explanation} (HTTP ${answer.status})`
					: `HTTP ${answer.status} (the answer's content is not taken as proof)`;
		throw new BilibiliOutcomeUnknownError(endpoint.name, seen, answer.status);
	}

	private networkError(
		endpoint: Endpoint,
		err: unknown,
		why: 'deadline' | 'aborted' | undefined,
		money: boolean,
	): BilibiliApiError {
		const e = err as { code?: string; message?: string };
		const code = e.code ?? '';
		const detail = redact(`${code ? `${code}: ` : ''}${e.message ?? String(err)}`, this.#secrets);
		const notSent = NOT_SENT.has(code);
		const timedOut = why === 'deadline' || code === 'ECONNABORTED' || code === 'ETIMEDOUT';
		const tooLarge = code === 'ANSWER_TOO_LARGE';
		// Plain words in the message: tools such as n8n replace a message naming a socket code with their
		// own generic advice ("retry immediately"), which is wrong for a request that may have arrived.
		const what = timedOut
			? 'no complete answer in time'
			: tooLarge
				? `the answer was larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB`
				: why === 'aborted'
					? 'cancelled before the answer arrived'
					: (NETWORK_PHRASES[code] ?? 'the connection failed before an answer arrived');
		if (money && !notSent) {
			return new BilibiliOutcomeUnknownError(endpoint.name, what, undefined, detail);
		}
		if (why === 'aborted' || (code === 'ERR_CANCELED' && !timedOut)) {
			return new BilibiliApiError({
				code: 'ABORTED',
				endpoint: endpoint.name,
				explanation: 'Cancelled before an answer arrived',
				retryable: false,
			});
		}
		const maySend = endpoint.method === 'POST' && !notSent;
		return new BilibiliApiError({
			code: timedOut ? 'TIMEOUT' : 'NETWORK',
			endpoint: endpoint.name,
			detail,
			explanation: `Network error: ${what}${maySend ? '; not retried because the request may have reached Bilibili' : ''}`,
			retryable: !maySend && !tooLarge && code !== REFUSED_BY_HOST && !code.startsWith('ERR_PROXY'),
			notSent,
		});
	}
}

function readStore(value: unknown): SpendingStore | undefined {
	if (value === undefined) return undefined;
	const store = value as Partial<SpendingStore>;
	if (typeof store?.load !== 'function' || typeof store.save !== 'function')
		throw new BilibiliValidationError(
			'spendingStore',
			'an object with load() and save()',
			typeof value,
		);
	return store as SpendingStore;
}

/** A money request turned away by risk control (code -412 or HTTP 412): nothing charged, not retried. */
function isJson(body: string): boolean {
	try {
		JSON.parse(body);
		return true;
	} catch {
		return false;
	}
}

function intercepted(endpoint: Endpoint, failure: unknown, httpStatus = 412): BilibiliApiError {
	const said = failure instanceof BilibiliApiError ? failure.bilibiliMessage : '';
	return new BilibiliApiError({
		code: -412,
		endpoint: endpoint.name,
		httpStatus,
		bilibiliMessage: said || undefined,
		explanation:
			'Request blocked by risk control (too many or automated-looking requests); nothing was charged. Slow down and try later',
		retryable: false,
	});
}

/** A shared fetch ended by close(): the next client of the account fetches anew (device.ts). */
function closedError(): Error {
	return Object.assign(new Error('client closed'), { code: CLIENT_CLOSED });
}

const NETWORK_PHRASES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved for now',
	ECONNRESET: 'the connection was closed before an answer arrived',
	EPIPE: 'the connection was closed while sending',
	EHOSTUNREACH: 'the host is unreachable',
	ERR_PROXY_REFUSED: 'the proxy refused to carry the request; nothing was sent',
	ERR_PROXY_INVALID: 'the proxy address is not usable; nothing was sent',
	ERR_ANSWER_DECODING: 'an answer arrived but could not be decoded',
	[REFUSED_BY_HOST]:
		'the engine refused to send it (its allowed-domains or SSRF settings); nothing was sent',
};

function definedOnly<V>(values: Record<string, V | undefined>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = String(v);
	return out;
}
