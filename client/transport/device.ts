/**
 * The browser identity Bilibili's risk control looks for (risk-control.md): buvid3/buvid4 from
 * `x/frontend/finger/spi`, fetched once per account for the life of the process, as a browser keeps
 * them. A failed fetch is not the request's failure: it goes on without them and the fetch is tried
 * again after a while, never once per request.
 */
import type { Endpoint } from './hosts';
import type { Runtime } from './runtime';

export const DEVICE_ENDPOINT: Endpoint = {
	name: 'device.fingerprint',
	method: 'GET',
	host: 'api',
	path: '/x/frontend/finger/spi',
};

const RETRY_AFTER_FAILURE_MS = 10 * 60_000;
/** The code a shared fetch fails with when the client that started it was closed. */
export const CLIENT_CLOSED = 'CLIENT_CLOSED';
/** Cookie text (`buvid3=…; buvid4=…`) by account, or undefined (with when) after a failed fetch. */
const DEVICES = new Map<string, Promise<{ cookie?: string; at: number }>>();
/** Only what a cookie value may hold; anything else from a hostile server is not sent on. */
const SAFE = /^[\w.:{}-]{1,128}$/;

export function deviceCookies(
	account: string,
	fetch: () => Promise<{ status: number; body: string }>,
): Promise<string | undefined> {
	const known = DEVICES.get(account);
	if (!known) return start(account, fetch);
	return known.then((d) => {
		if (d.cookie !== undefined || Date.now() - d.at < RETRY_AFTER_FAILURE_MS) return d.cookie;
		// Another request started the next fetch meanwhile: wait for that one, not a second fetch.
		return DEVICES.get(account) === known ? start(account, fetch) : deviceCookies(account, fetch);
	});
}

/** Starts a fetch and makes it the account's at once, so the requests that follow share it. */
function start(
	account: string,
	fetch: () => Promise<{ status: number; body: string }>,
): Promise<string | undefined> {
	const fetched = fetch().then(
		(answer) => ({ cookie: parseDevice(answer.status, answer.body), at: Date.now() }),
		(err: { code?: string }) => {
			// Ended by its client's close(), not a failure of the endpoint: the next request fetches anew.
			if (err?.code === CLIENT_CLOSED) DEVICES.delete(account);
			return { cookie: undefined, at: Date.now() };
		},
	);
	DEVICES.set(account, fetched);
	return fetched.then((d) => d.cookie);
}

function parseDevice(status: number, body: string): string | undefined {
	if (status !== 200) return undefined;
	try {
		const json = JSON.parse(body) as { code?: unknown; data?: { b_3?: unknown; b_4?: unknown } };
		const b3 = json.code === 0 ? json.data?.b_3 : undefined;
		const b4 = json.code === 0 ? json.data?.b_4 : undefined;
		if (typeof b3 !== 'string' || !SAFE.test(b3)) return undefined;
		return typeof b4 === 'string' && SAFE.test(b4) ? `buvid3=${b3}; buvid4=${b4}` : `buvid3=${b3}`;
	} catch {
		return undefined;
	}
}

/** A runtime's one-shot GET of the fingerprint endpoint (no cookie, short deadline). */
export function fetchDevice(
	runtime: Runtime,
	origin: string,
	headers: Record<string, string>,
	signal: AbortSignal,
): Promise<{ status: number; body: string }> {
	return runtime.send({
		method: 'GET',
		url: origin + DEVICE_ENDPOINT.path,
		headers,
		auth: { cookie: '' },
		signal,
		timeoutMs: 10_000,
		maxAnswerBytes: 64 * 1024,
	});
}
