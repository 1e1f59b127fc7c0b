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

export function abortError(endpoint = 'client'): BilibiliApiError {
	return new BilibiliApiError({ code: 'ABORTED', endpoint, explanation: 'Cancelled before it finished', retryable: false });
}

export interface BackoffOptions {
	baseDelayMs: number;
	maxDelayMs: number;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so clients do not retry in lockstep. */
export function backoffDelay(attempt: number, { baseDelayMs, maxDelayMs }: BackoffOptions, random = Math.random): number {
	const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
