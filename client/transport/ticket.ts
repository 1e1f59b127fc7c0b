/**
 * bili_ticket (risk-control.md), optional: a JWT from GenWebTicket that lowers the chance of -352,
 * valid about 3 days. Fetched once per account and origin, renewed before it expires; a failed fetch
 * is not the request's failure (it goes on without, and the fetch waits a while before trying again).
 */
import { CLIENT_CLOSED } from './device';
import type { Runtime } from './runtime';

export const TICKET_PATH = '/bapis/bilibili.api.ticket.v1.Ticket/GenWebTicket';
/** The documented HMAC key and key id of the web ticket. */
const HMAC_KEY = 'XgwSnGZ1p';
const KEY_ID = 'ec02';
const RETRY_AFTER_FAILURE_MS = 10 * 60_000;
const JWT = /^[\w-]{1,2048}\.[\w-]{1,4096}\.[\w-]{0,2048}$/;

interface Held {
	ticket?: string;
	/** When to fetch a new one (ms): before it expires, or after a failure. */
	renewAt: number;
}

const TICKETS = new Map<string, Promise<Held>>();

/** hexsign: lowercase hex of HMAC-SHA256(key, "ts" + seconds), with WebCrypto. */
export async function ticketSign(seconds: number): Promise<string> {
	const enc = new TextEncoder();
	const key = await crypto.subtle.importKey(
		'raw',
		enc.encode(HMAC_KEY),
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign'],
	);
	const mac = await crypto.subtle.sign('HMAC', key, enc.encode(`ts${seconds}`));
	return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function fetchTicket(
	runtime: Runtime,
	origin: string,
	csrf: string,
	headers: Record<string, string>,
	signal: AbortSignal,
): Promise<Held> {
	const ts = Math.floor(Date.now() / 1000);
	const answer = await runtime.send({
		method: 'POST',
		url: origin + TICKET_PATH,
		query: { key_id: KEY_ID, hexsign: await ticketSign(ts), 'context[ts]': ts, csrf },
		headers,
		auth: { cookie: '' },
		signal,
		timeoutMs: 10_000,
		maxAnswerBytes: 64 * 1024,
	});
	const json = JSON.parse(answer.body) as {
		code?: unknown;
		data?: { ticket?: unknown; created_at?: unknown; ttl?: unknown };
	};
	const ticket = json.code === 0 ? json.data?.ticket : undefined;
	const ttl = Number(json.data?.ttl);
	if (answer.status !== 200 || typeof ticket !== 'string' || !JWT.test(ticket) || !(ttl > 0))
		throw new Error('no ticket');
	// Renewed when a tenth of its life is left (at most a day early), never at its last second.
	const lifeMs = Math.min(ttl, 30 * 86_400) * 1000;
	return { ticket, renewAt: Date.now() + lifeMs - Math.min(lifeMs / 10, 86_400_000) };
}

/** The `bili_ticket=…` cookie for an account, or undefined (the request goes on without it). */
export function ticketCookie(
	account: string,
	fetch: () => Promise<Held>,
): Promise<string | undefined> {
	const known = TICKETS.get(account);
	const current = known ?? Promise.resolve<Held>({ renewAt: 0 });
	return current.then((held): Promise<string | undefined> | string | undefined => {
		// Another request started the renewal meanwhile: wait for that one, not a second fetch.
		if (TICKETS.get(account) !== known) return ticketCookie(account, fetch);
		if (Date.now() < held.renewAt) return held.ticket && `bili_ticket=${held.ticket}`;
		const next = fetch().catch((err: { code?: string }): Held => {
			if (err?.code === CLIENT_CLOSED) TICKETS.delete(account);
			return { ticket: undefined, renewAt: Date.now() + RETRY_AFTER_FAILURE_MS };
		});
		TICKETS.set(account, next);
		return next.then((h) => h.ticket && `bili_ticket=${h.ticket}`);
	});
}
