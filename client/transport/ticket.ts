/**
 * bili_ticket (risk-control.md), optional: a JWT from GenWebTicket that lowers the chance of -352,
 * valid about 3 days. Fetched once per account and origin, renewed before it expires; a failed fetch
 * is not the request's failure (it goes on without, and the fetch waits a while before trying again).
 */
import { heldNow, sharedPerAccount, type Held } from './accountCache';
import type { Runtime } from './runtime';

const TICKET_PATH = '/bapis/bilibili.api.ticket.v1.Ticket/GenWebTicket';
/** The documented HMAC key and key id of the web ticket. */
const HMAC_KEY = 'XgwSnGZ1p';
const KEY_ID = 'ec02';
const JWT = /^[\w-]{1,2048}\.[\w-]{1,4096}\.[\w-]{0,2048}$/;

/** The ticket by account and origin, with when to renew it. */
const TICKETS = new Map<string, Promise<Held<string>>>();

/** hexsign: lowercase hex of HMAC-SHA256(key, "ts" + seconds), with WebCrypto. */
async function ticketSign(seconds: number): Promise<string> {
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
): Promise<Held<string>> {
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
	return { value: ticket, renewAt: Date.now() + lifeMs - Math.min(lifeMs / 10, 86_400_000) };
}

/** The `bili_ticket=…` cookie for an account, or undefined (the request goes on without it). */
export async function ticketCookie(
	account: string,
	fetch: () => Promise<Held<string>>,
): Promise<string | undefined> {
	return asCookie(await sharedPerAccount(TICKETS, account, fetch));
}

const asCookie = (ticket: string | undefined) => ticket && `bili_ticket=${ticket}`;

/** The account's `bili_ticket=…` cookie if known now (see heldNow), without waiting. */
export function ticketCookieNow(account: string): { value: string | undefined } | undefined {
	const held = heldNow(TICKETS, account);
	return held && { value: asCookie(held.value) };
}
