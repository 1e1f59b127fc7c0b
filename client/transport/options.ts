/**
 * Client options, read once where they enter: own properties only (a polluted Object.prototype cannot
 * redirect the cookies), every number checked against a range with a floor, so no option can mean
 * "no timeout", "never stop retrying" or "wait forever for a slot".
 */
import { BilibiliValidationError } from '../errors';
import { readSpendingLimits, type SpendingLimits } from '../spending';
import { describe, optionalInteger, own } from '../validate';
import type { RateLimitOptions } from './limiter';
import type { Runtime } from './runtime';

export interface RetryOptions {
	/** Further attempts after the first, for GETs only. 0..10, default 3. */
	retries?: number;
	/** First backoff in ms, 1..60000, default 500. */
	baseDelayMs?: number;
	/** Longest backoff in ms, default 8000. */
	maxDelayMs?: number;
}

export interface Logger {
	debug?(message: string): void;
	warn?(message: string): void;
}

export interface ClientSettings {
	baseUrl?: string;
	timeoutMs: number;
	uploadTimeoutMs: number;
	retry: Required<RetryOptions>;
	rateLimit: Required<RateLimitOptions> | false;
	userAgent?: string;
	logger?: Logger;
	spendingLimits: Required<SpendingLimits>;
	fetchBuvid: boolean;
	biliTicket: boolean;
	loggedOutHint?: () => string | undefined;
}

const HOUR = 60 * 60_000;

/** A base URL option: undefined for none, else an http(s) origin (and path) without trailing slashes. */
export function readBaseUrl(baseUrl: unknown): string | undefined {
	if (baseUrl === undefined || baseUrl === '') return undefined;
	if (typeof baseUrl !== 'string' || !/^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/.test(baseUrl)) {
		throw new BilibiliValidationError('baseUrl', 'an http:// or https:// URL', describe(baseUrl));
	}
	return baseUrl.replace(/\/+$/, '');
}

/** The injected runtime option, checked for the two functions the client calls. */
export function readRuntime(runtime: unknown): Runtime {
	const r = runtime as Partial<Runtime> | undefined;
	if (!r || typeof r.send !== 'function' || typeof r.sleep !== 'function') {
		throw new BilibiliValidationError(
			'runtime',
			'a runtime with send() and sleep()',
			typeof runtime,
		);
	}
	return r as Runtime;
}

function readFlag(name: string, value: unknown, fallback: boolean): boolean {
	if (value === undefined) return fallback;
	if (typeof value !== 'boolean')
		throw new BilibiliValidationError(name, 'true or false', describe(value));
	return value;
}

export function readSettings(options: object): ClientSettings {
	const get = (key: string) => own(options as Record<string, unknown>, key);
	const retry = get('retry') as RetryOptions | undefined;
	const baseDelayMs = optionalInteger(
		'retry.baseDelayMs',
		own(retry, 'baseDelayMs'),
		500,
		1,
		60_000,
	);
	const rateLimit = get('rateLimit') as RateLimitOptions | false | undefined;
	const userAgent = get('userAgent');
	if (userAgent !== undefined && typeof userAgent !== 'string')
		throw new BilibiliValidationError('userAgent', 'text', describe(userAgent));
	const logger = get('logger') as Logger | undefined;
	const loggedOutHint = get('loggedOutHint');
	if (loggedOutHint !== undefined && typeof loggedOutHint !== 'function')
		throw new BilibiliValidationError('loggedOutHint', 'a function', describe(loggedOutHint));
	return {
		baseUrl: readBaseUrl(get('baseUrl')),
		timeoutMs: optionalInteger('timeoutMs', get('timeoutMs'), 15_000, 100, HOUR),
		uploadTimeoutMs: optionalInteger(
			'uploadTimeoutMs',
			get('uploadTimeoutMs'),
			15 * 60_000,
			1000,
			24 * HOUR,
		),
		retry: {
			retries: optionalInteger('retry.retries', own(retry, 'retries'), 3, 0, 10),
			baseDelayMs,
			maxDelayMs: optionalInteger(
				'retry.maxDelayMs',
				own(retry, 'maxDelayMs'),
				Math.max(8_000, baseDelayMs),
				baseDelayMs,
				10 * 60_000,
			),
		},
		rateLimit:
			rateLimit === false
				? false
				: {
						maxConcurrent: optionalInteger(
							'rateLimit.maxConcurrent',
							own(rateLimit, 'maxConcurrent'),
							4,
							1,
							64,
						),
						minIntervalMs: optionalInteger(
							'rateLimit.minIntervalMs',
							own(rateLimit, 'minIntervalMs'),
							100,
							0,
							60_000,
						),
					},
		userAgent: userAgent === undefined || userAgent === '' ? undefined : checkUserAgent(userAgent),
		logger: logger && typeof logger === 'object' ? logger : undefined,
		spendingLimits: readSpendingLimits(get('spendingLimits') as SpendingLimits | undefined),
		fetchBuvid: readFlag('fetchBuvid', get('fetchBuvid'), true),
		biliTicket: readFlag('biliTicket', get('biliTicket'), false),
		loggedOutHint: loggedOutHint as ClientSettings['loggedOutHint'],
	};
}

/** A User-Agent HTTP can carry: printable ASCII, one line. Described, not echoed. */
function checkUserAgent(value: string): string {
	if (/[^\x20-\x7e]/.test(value))
		throw new BilibiliValidationError(
			'userAgent',
			'one line of printable ASCII text (what an HTTP header carries)',
			`a ${value.length}-character text containing line breaks, control or non-ASCII characters`,
		);
	return value;
}
