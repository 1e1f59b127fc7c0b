/**
 * A value every client of one account shares for the life of the process (the browser identity, the
 * bili_ticket): fetched once, by the first request that needs it, while later requests wait for that
 * same fetch; held until its renewal time. A failed fetch is held too (as "none" until `renewAt`), so
 * a broken endpoint is not asked at every request; a fetch ended by its client's close() is forgotten,
 * so the next client fetches anew.
 */

/** How long a failed fetch is held as "none" before a request asks again. */
export const RETRY_AFTER_FAILURE_MS = 10 * 60_000;

/** The code a shared fetch fails with when the client that started it was closed. */
export const CLIENT_CLOSED = 'CLIENT_CLOSED';

export interface Held<T> {
	value?: T;
	/** When to fetch again (ms since the epoch): before the value expires, or after a failure. */
	renewAt: number;
}

/** The outcome of each fetch once it settled, so a request can read a fresh value without waiting. */
const settled = new WeakMap<Promise<Held<unknown>>, Held<unknown>>();

/**
 * The value held for an account right now, when its fetch has settled and is not due for renewal;
 * undefined when a request has to wait (nothing fetched yet, in flight, or due).
 */
export function heldNow<T>(
	cache: Map<string, Promise<Held<T>>>,
	account: string,
): { value: T | undefined } | undefined {
	const known = cache.get(account);
	const held = known && (settled.get(known) as Held<T> | undefined);
	return held && Date.now() < held.renewAt ? { value: held.value } : undefined;
}

export function sharedPerAccount<T>(
	cache: Map<string, Promise<Held<T>>>,
	account: string,
	fetch: () => Promise<Held<T>>,
): Promise<T | undefined> {
	const known = cache.get(account);
	if (!known) return start();
	return known.then((held) => {
		// Another request started the next fetch meanwhile: wait for that one, not a second fetch.
		if (cache.get(account) !== known) return sharedPerAccount(cache, account, fetch);
		return Date.now() < held.renewAt ? held.value : start();
	});

	function start(): Promise<T | undefined> {
		const next: Promise<Held<T>> = fetch().catch((err: { code?: string }) => {
			if (err?.code === CLIENT_CLOSED && cache.get(account) === next) cache.delete(account);
			return { renewAt: Date.now() + RETRY_AFTER_FAILURE_MS };
		});
		cache.set(account, next);
		return next.then((held) => {
			settled.set(next, held);
			return held.value;
		});
	}
}
