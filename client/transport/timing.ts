import { BilibiliApiError } from '../errors';
import type { Runtime } from './runtime';

/** The runtime's sleep, with any abort turned into the client's ABORTED error. */
export function pauseWith(runtime: Pick<Runtime, 'sleep'>): Runtime['sleep'] {
	return async (ms, signal) => {
		if (signal?.aborted) throw abortError();
		try {
			await runtime.sleep(ms, signal);
		} catch {
			throw abortError();
		}
		if (signal?.aborted) throw abortError();
	};
}

/** Cancelled; `notSent` when the request was still waiting (queued, pacing, backoff) and never left. */
export function abortError(endpoint = 'client', notSent = false): BilibiliApiError {
	return new BilibiliApiError({
		code: 'ABORTED',
		endpoint,
		explanation: notSent ? 'Cancelled before it was sent' : 'Cancelled before it finished',
		retryable: false,
		notSent,
	});
}

export interface BackoffOptions {
	baseDelayMs: number;
	maxDelayMs: number;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so clients do not retry in lockstep. */
export function backoffDelay(
	attempt: number,
	{ baseDelayMs, maxDelayMs }: BackoffOptions,
	random = Math.random,
): number {
	const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
