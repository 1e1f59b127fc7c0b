/**
 * The Bilibili API credential renews its login through n8n's own mechanism: n8n calls the
 * credential's `preAuthentication` before an authenticated request while its expirable hidden field
 * (`sessionCheck`) is empty, and stores what the hook returns when that holds the field. The field is
 * returned empty every time, so n8n keeps asking; this module decides what to do:
 *
 * - once a day per login and process, `cookie/info`; when Bilibili asks, the refresh, **without the
 *   confirm**: the new SESSDATA, bili_jct and refresh token go to n8n to store, with what the confirm
 *   needs in the hidden `sessionRenewal` field;
 * - the confirm only once the credential n8n resolves carries the new SESSDATA (a later request or
 *   run), which proves n8n stored it; then `sessionRenewal` is cleared.
 *
 * It never fails the request it runs before: a failure is logged (no secret) and tried the next day.
 * Its state is per process (module-level), shared with the Account node's Refresh Session.
 */
import {
	LoggerProxy,
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestHelper,
} from 'n8n-workflow';
import {
	BilibiliApiError,
	BilibiliClient,
	BilibiliSessionRefreshError,
	type Runtime,
} from '../../client';
import { credentialsFrom } from './client';
import { answerFrom, failure, requestOptions, type FullResponse } from './runtime';

/** The expirable hidden field: always empty, so n8n calls the hook before every request. */
export const CHECK_FIELD = 'sessionCheck';
/** The hidden field holding a refresh waiting for its confirm (JSON, see Pending). */
export const RENEWAL_FIELD = 'sessionRenewal';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The confirm's answers that end it for good (cookie-refresh: -101, -111, -400; 0 is success). */
const CONFIRM_REFUSED = new Set([-101, -111, -400]);

const NOT_STORED =
	'this login was renewed, but n8n could not store the new SESSDATA in the credential (it is set by an expression or an external secret, which n8n does not overwrite). The old session still works until Bilibili ends it: log in again (bilibili-login) and put the new values where the expression or secret reads them';

const LOST =
	'this login was renewed, but n8n did not store the new login (saving the credential failed), so the refresh token is spent and the renewed login is lost. The old session still works until Bilibili ends it: log in again (bilibili-login) and store the new values in the credential';

/** After handing n8n a renewal, a request may still resolve the old login for this long (a race). */
const HANDOFF_GRACE_MS = 60_000;

/** A refresh n8n was given to store, waiting for its confirm. */
interface Pending {
	/** The refresh token the refresh spent: confirm/refresh names it. */
	token: string;
	/** SHA-256 of the new SESSDATA: the confirm waits until the resolved credential carries it. */
	login: string;
	/** SHA-256 of the SESSDATA it replaced: still resolved means n8n could not store the new one. */
	from: string;
	/** When the refresh happened (ms). */
	at: number;
}

export interface RenewalOutcome {
	refreshed: boolean;
	/** When the check (and the refresh) ran, ms. */
	at: number;
	/** Why it failed, scrubbed of every secret. */
	error?: string;
}

interface LoginState {
	/** No check before this (ms). */
	nextCheck: number;
	/** No confirm attempt before this (ms). */
	nextConfirm: number;
	/** No "could not store" warning before this (ms). */
	nextWarning: number;
	/** The hook's run for this login now: a second request waits for it instead of checking again. */
	running?: Promise<IDataObject>;
	/** Refresh Session asked for a check now (and maybe a forced refresh). */
	asked?: { force: boolean; publicKey?: string };
	/** What the last asked check did, for Refresh Session. */
	outcome?: RenewalOutcome;
	/** When a renewal of this login was handed to n8n to store (ms). */
	handedAt?: number;
	/** The renewal handed to n8n was not stored, and that was logged. */
	lost?: boolean;
}

const logins = new Map<string, LoginState>();

function stateOf(key: string): LoginState {
	let state = logins.get(key);
	if (!state) {
		state = { nextCheck: 0, nextConfirm: 0, nextWarning: 0 };
		logins.set(key, state);
	}
	return state;
}

/** The login's key in this process's state: never the cookie itself. */
export async function loginKey(SESSDATA: string): Promise<string> {
	const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(SESSDATA));
	return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function text(data: ICredentialDataDecryptedObject, key: string): string {
	const value = Object.hasOwn(data, key) ? data[key] : undefined;
	return value === undefined || value === null ? '' : String(value).trim();
}

function parsePending(value: string): Pending | undefined {
	if (!value) return undefined;
	try {
		const parsed = JSON.parse(value) as Partial<Pending>;
		if (
			typeof parsed.token === 'string' &&
			typeof parsed.login === 'string' &&
			typeof parsed.from === 'string'
		)
			return { token: parsed.token, login: parsed.login, from: parsed.from, at: Number(parsed.at) };
	} catch {
		// A damaged value is dropped like a stale one.
	}
	return undefined;
}

/** An error's text without any of the login's values (the client scrubs its own; this is the belt). */
function scrubbed(err: unknown, secrets: string[]): string {
	let message = err instanceof Error ? err.message : String(err);
	for (const secret of secrets)
		if (secret.length >= 4) message = message.split(secret).join('[redacted]');
	return message;
}

/**
 * The client's runtime inside the hook: n8n hands the hook a plain `httpRequest` (restricted to the
 * credential's allowed domains), so the cookies and csrf are added here, as `authenticate` adds them
 * for the nodes.
 */
function hookRuntime(helper: IHttpRequestHelper): Runtime {
	return {
		async send(x) {
			const headers: Record<string, string> = { ...x.headers, Cookie: x.auth.cookie };
			const options = requestOptions(x, headers);
			if (x.body?.type === 'multipart') throw new Error('the session check sends no files');
			if (x.body?.type === 'form') {
				headers['Content-Type'] = 'application/x-www-form-urlencoded';
				options.body = { ...x.body.fields, csrf: x.auth.csrf ?? '' };
			}
			let response: FullResponse;
			try {
				response = (await helper.helpers.httpRequest(options)) as FullResponse;
			} catch (err) {
				throw failure(err);
			}
			return answerFrom(response);
		},
		sleep: (ms, signal) => sleep(ms, signal),
	};
}

/**
 * Whether the hook's next call for this credential's login sends requests of its own (a check or a
 * confirm is due, or one is running): a write then lets it run first (runtime.ts, beforeWrite).
 */
export async function renewalWorkDue(
	credentials: ICredentialDataDecryptedObject,
): Promise<boolean> {
	const SESSDATA = text(credentials, 'SESSDATA');
	if (!SESSDATA) return false;
	const key = await loginKey(SESSDATA);
	const state = logins.get(key);
	if (state?.running || state?.asked) return true;
	const now = Date.now();
	const pending = parsePending(text(credentials, RENEWAL_FIELD));
	if (pending?.login === key) return now >= (state?.nextConfirm ?? 0);
	if (pending?.from === key) return false;
	return text(credentials, 'refreshToken') !== '' && now >= (state?.nextCheck ?? 0);
}

/** Refresh Session: check this login now (refresh if due, or always with `force`) on the next request. */
export function askRenewal(key: string, asked: { force: boolean; publicKey?: string }): void {
	const state = stateOf(key);
	state.asked = asked;
	state.outcome = undefined;
}

/** What the asked check did, once (undefined: the hook has not run it). */
export function takeOutcome(key: string): RenewalOutcome | undefined {
	const state = stateOf(key);
	const outcome = state.outcome;
	state.outcome = undefined;
	state.asked = undefined;
	return outcome;
}

/**
 * The credential still holds the SESSDATA a renewal replaced (n8n could not store the new one): a
 * -101 on it is the renewal's confirm by another holder, not a refresh made elsewhere.
 */
export async function renewedButNotStored(
	credentials: ICredentialDataDecryptedObject,
): Promise<boolean> {
	const pending = parsePending(text(credentials, RENEWAL_FIELD));
	return pending !== undefined && pending.from === (await loginKey(text(credentials, 'SESSDATA')));
}

/** The credential's `preAuthentication`: what n8n is to store (with CHECK_FIELD) or nothing ({}). */
export async function renewLogin(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	const SESSDATA = text(credentials, 'SESSDATA');
	if (!SESSDATA) return {};
	const key = await loginKey(SESSDATA);
	const state = stateOf(key);
	// Parallel requests of one login in this process: one check, the others go on with what n8n resolved.
	if (state.running) {
		await state.running.catch(() => undefined);
		return {};
	}
	const run = renew(helper, credentials, key, state);
	state.running = run;
	try {
		return await run;
	} finally {
		state.running = undefined;
	}
}

async function renew(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	key: string,
	state: LoginState,
): Promise<IDataObject> {
	const now = Date.now();
	const refreshToken = text(credentials, 'refreshToken');
	const secrets = [
		text(credentials, 'SESSDATA'),
		text(credentials, 'bili_jct'),
		text(credentials, 'buvid3'),
		refreshToken,
	];
	const pending = parsePending(text(credentials, RENEWAL_FIELD));
	const client = (): BilibiliClient =>
		new BilibiliClient({
			...credentialsFrom(credentials),
			runtime: hookRuntime(helper),
			refreshPublicKey: text(credentials, 'refreshPublicKey') || undefined,
		});
	let cleared: IDataObject = {};

	if (pending?.login === key) {
		// n8n resolved the new login: it is stored, so the old session may go.
		if (now >= state.nextConfirm && (await confirmed(pending, state, client, secrets)))
			cleared = { [RENEWAL_FIELD]: '', [CHECK_FIELD]: '' };
		if (!state.asked) return cleared;
	} else if (pending?.from === key) {
		// n8n kept the old SESSDATA: the field is an expression or an external secret, which n8n
		// does not overwrite. Not confirmed, so the old session keeps working for now.
		if (now >= state.nextWarning) {
			state.nextWarning = now + DAY_MS;
			LoggerProxy.warn(`Bilibili: ${NOT_STORED}`);
		}
		if (state.asked) state.outcome = { refreshed: false, at: now, error: NOT_STORED };
		state.asked = undefined;
		return {};
	} else if (
		!pending &&
		state.handedAt !== undefined &&
		now - state.handedAt >= HANDOFF_GRACE_MS &&
		now < state.nextCheck
	) {
		// n8n was handed this login's renewal, yet resolves this login with no renewal stored: storing
		// failed (the database was busy). The token is spent: said once; the next day's check is
		// refused and says it again.
		if (!state.lost) {
			state.lost = true;
			LoggerProxy.warn(`Bilibili: ${LOST}`);
		}
		if (state.asked) state.outcome = { refreshed: false, at: now, error: LOST };
		state.asked = undefined;
		return {};
	} else if (pending) {
		// A login entered since that refresh: its pending confirm belongs to a login no longer stored.
		cleared = { [RENEWAL_FIELD]: '', [CHECK_FIELD]: '' };
	}

	const asked = state.asked;
	state.asked = undefined;
	if (!asked && now < state.nextCheck) return cleared;
	if (!refreshToken) {
		if (asked)
			state.outcome = {
				refreshed: false,
				at: now,
				error: 'No Refresh Token in the Bilibili API credential',
			};
		return cleared;
	}
	state.nextCheck = now + DAY_MS;
	const c = client();
	let session;
	try {
		session = await c.session.refresh({
			refreshToken,
			onRefreshed: () => undefined,
			force: asked?.force === true,
			confirm: false,
			refreshPublicKey: asked?.publicKey || undefined,
		});
	} catch (err) {
		const spent = err instanceof BilibiliSessionRefreshError && err.tokenMaySpent;
		const message = scrubbed(err, secrets);
		// A lost race (86095: another n8n worker refreshed first) or any other refusal: nothing stored,
		// nothing confirmed; the login in the credential keeps working until that refresh is confirmed.
		LoggerProxy.warn(
			`Bilibili: the daily session check failed (tried again tomorrow)${spent ? '; the refresh token may be spent, so if the next one is refused, log in again' : ''}: ${message}`,
		);
		if (asked) state.outcome = { refreshed: false, at: now, error: message };
		return cleared;
	} finally {
		c.close();
	}
	if (asked) state.outcome = { refreshed: session !== undefined, at: now };
	if (!session) return cleared;
	// The new login is not due: its first check is a day away.
	stateOf(await loginKey(session.SESSDATA)).nextCheck = now + DAY_MS;
	state.handedAt = now;
	state.lost = false;
	LoggerProxy.info(
		'Bilibili: the login was renewed; n8n stores it now, and the old session is ended on a later request',
	);
	const next: Pending = {
		token: refreshToken,
		login: await loginKey(session.SESSDATA),
		from: key,
		at: now,
	};
	return {
		SESSDATA: session.SESSDATA,
		bili_jct: session.bili_jct,
		DedeUserID: session.DedeUserID,
		refreshToken: session.refresh_token,
		[RENEWAL_FIELD]: JSON.stringify(next),
		[CHECK_FIELD]: '',
	};
}

/** The confirm of a stored renewal; true when there is nothing more to send for it. */
async function confirmed(
	pending: Pending,
	state: LoginState,
	client: () => BilibiliClient,
	secrets: string[],
): Promise<boolean> {
	state.nextConfirm = Date.now() + DAY_MS;
	const c = client();
	try {
		await c.session.confirm(pending.token);
		LoggerProxy.info('Bilibili: the renewed login is stored; the old session was ended');
		return true;
	} catch (err) {
		const message = scrubbed(err, [...secrets, pending.token]);
		// Bilibili refused it for good (another worker confirmed it, or the new session is gone):
		// nothing to repeat. Any other code (risk control, a busy server) is tried again tomorrow.
		if (err instanceof BilibiliApiError && CONFIRM_REFUSED.has(Number(err.code))) {
			LoggerProxy.warn(
				`Bilibili: ending the old session after a renewal was refused (nothing to repeat): ${message}`,
			);
			return true;
		}
		LoggerProxy.warn(
			`Bilibili: ending the old session after a renewal failed (tried again tomorrow): ${message}`,
		);
		return false;
	} finally {
		c.close();
	}
}
