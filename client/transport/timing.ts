import { BilibiliApiError } from '../errors';

/** A sleep that leaves no timer behind when its signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(abortError());
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortError());
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
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
