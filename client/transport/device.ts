/**
 * The browser identity Bilibili's risk control looks for (risk-control.md): buvid3/buvid4 from
 * `x/frontend/finger/spi`, fetched once per account for the life of the process, as a browser keeps
 * them. A failed fetch is not the request's failure: it goes on without them and the fetch is tried
 * again after a while, never once per request.
 */
import { heldNow, sharedPerAccount, type Held } from './accountCache';
import type { Endpoint } from './hosts';
import type { Runtime } from './runtime';

const DEVICE_ENDPOINT: Endpoint = {
	name: 'device.fingerprint',
	method: 'GET',
	host: 'api',
	path: '/x/frontend/finger/spi',
};

/** Cookie text (`buvid3=…; buvid4=…`) by account and origin; kept for the process's life. */
const DEVICES = new Map<string, Promise<Held<string>>>();
/** Only what a cookie value may hold; anything else from a hostile server is not sent on. */
const SAFE = /^[\w.:{}-]{1,128}$/;

/** The account's device cookies if known now (see heldNow), without waiting. */
export function deviceCookiesNow(account: string): { value: string | undefined } | undefined {
	return heldNow(DEVICES, account);
}

export function deviceCookies(
	account: string,
	fetch: () => Promise<{ status: number; body: string }>,
): Promise<string | undefined> {
	return sharedPerAccount(DEVICES, account, () =>
		fetch().then((answer) => {
			const cookie = parseDevice(answer.status, answer.body);
			if (!cookie) throw new Error('no buvid3 in the answer');
			// A browser keeps its identity: once one came, it is not fetched again.
			return { value: cookie, renewAt: Infinity };
		}),
	);
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
