/**
 * What the client needs from its host, injected so one client runs in n8n (n8n's HTTP helpers and
 * timers) and everywhere else (node:http and Node's timers, client/runtime/node.ts). Everything that decides
 * something (money rules, validation, redaction, retries, pacing, the spending guard) stays in the
 * client; a runtime only moves bytes and waits.
 */
import type { MultipartFile } from './multipart';

export interface HttpExchange {
	method: 'GET' | 'POST';
	/** Origin and path, without the query. */
	url: string;
	query?: Record<string, string | number>;
	/** Browser-like headers; no cookie (see `auth`). */
	headers: Record<string, string>;
	/** A POST body. csrf is not in `fields`: adding it is part of authenticating (see `auth`). */
	body?:
		| { type: 'form'; fields: Record<string, string> }
		| { type: 'multipart'; fields: Record<string, string>; file: MultipartFile };
	/**
	 * How to authenticate: the Cookie header, and csrf (bili_jct) for a POST body. A runtime whose host
	 * authenticates for it (n8n's credential `authenticate`) may take these from there instead.
	 */
	auth: {
		cookie: string;
		csrf?: string;
		/** The fetched browser identity (`buvid3=…; buvid4=…`), already in `cookie`; for hosts that set the Cookie themselves. */
		device?: string;
	};
	/** Ends the exchange: the client's deadline, a cancel, or close(). */
	signal: AbortSignal;
	timeoutMs: number;
	/** Answers larger than this are refused (an error whose code is ANSWER_TOO_LARGE). */
	maxAnswerBytes: number;
}

export interface HttpAnswer {
	status: number;
	contentType?: string;
	body: string;
	/** The answer's Set-Cookie headers (a session refresh hands the new cookies out this way). */
	setCookies?: string[];
}

/** Set-Cookie header values as HTTP libraries hand them over (a string, a list, or nothing). */
export function setCookieList(value: unknown): string[] | undefined {
	if (Array.isArray(value)) return value.map(String);
	return typeof value === 'string' ? [value] : undefined;
}

export interface Runtime {
	/**
	 * Sends one exchange and resolves with any HTTP status. Rejects only when no complete answer arrived,
	 * with an error whose `code` is the socket's (ECONNREFUSED, ECONNRESET, …), ERR_CANCELED or
	 * ANSWER_TOO_LARGE. Never retries, never follows redirects.
	 */
	send(exchange: HttpExchange): Promise<HttpAnswer>;
	/** Resolves after `ms`; rejects at once when `signal` aborts. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	/**
	 * Calls `fire` after `ms`, unless the returned function cancels it first. Optional: every call's
	 * deadline uses it when given (a plain timer), else a sleep cancelled by a signal.
	 */
	timer?(ms: number, fire: () => void): () => void;
	/**
	 * Optional: called before a write (a POST) is handed to `send`, outside its deadline, so work the
	 * host does before an authenticated request (n8n's credential hook renewing the login) is done
	 * first and cannot make the write's outcome unknown. `origin` is the write's; never rejects the
	 * write: the client ignores its failure.
	 */
	beforeWrite?(origin: string, signal: AbortSignal): Promise<void>;
	/** Frees what the runtime holds (keep-alive sockets). */
	close?(): void;
}

export class AnswerTooLargeError extends Error {
	readonly code = 'ANSWER_TOO_LARGE';
	constructor(limit: number) {
		super(`the answer was larger than ${limit / 1024 / 1024} MB`);
	}
}
