/**
 * Keeps an account's login alive (cookie-refresh.md). While a node of the account runs, it asks
 * Bilibili once a day whether a refresh is due, and refreshes. The new session is handed to Node-RED's
 * credentials (saved at the next Deploy) and to the session store (sessionStore.ts, read at a restart
 * before that Deploy), and every live client of the same login switches to it, all before the old
 * session is confirmed away. Without a user directory to store it in, nothing is refreshed (a refresh
 * would spend the token and end the saved cookies): the log says so once a day. The log says when it
 * refreshed, never a value.
 */
import {
	BilibiliApiError,
	BilibiliSessionRefreshError,
	REFRESHED_ELSEWHERE,
	type BilibiliClient,
	type RefreshedSession,
} from '../index';
import { redact } from '../client/transport/redact';
import { fingerprint, sessionStore } from './sessionStore';
import type { Node, NodeAPI } from './types';

export const CHECK_EVERY_MS = 24 * 60 * 60_000;

/** How many earlier logins a stored session remembers it stands in for. */
const REMEMBERED_LOGINS = 20;

/** One instance of an account node (a Deploy replaces the instance, not the account). */
interface Instance {
	/** Send a session another instance of the account refreshed, if it refreshed this one's login. */
	adopt(session: RefreshedSession, replaced: AccountLogin): void;
	/** Its refresh in flight: a replacing instance waits for it. */
	refreshing?: Promise<void>;
}

/** Instances by account node id, each kept until its last refresh has ended. */
const keepers = new Map<string, Set<Instance>>();

/** Every secret value of a login, for scrubbing a text. */
function secretsOf(...logins: Array<Partial<AccountLogin> | undefined>): string[] {
	return logins
		.flatMap((l) => [l?.SESSDATA, l?.bili_jct, l?.refresh_token])
		.filter((v): v is string => Boolean(v));
}

export interface AccountLogin {
	SESSDATA: string;
	bili_jct?: string;
	DedeUserID?: string;
	refresh_token?: string;
}

export interface SessionKeeper {
	/** The login to send now: the saved one, or the session refreshed since. */
	readonly login: AccountLogin;
	/** A node of the account started: check now if a day has passed since the last check. */
	inUse(): void;
	/** Waits (up to `budgetMs`) for a refresh in progress, then stops; `removed` forgets the store. */
	close(removed: boolean, budgetMs: number): Promise<void>;
	/**
	 * Why a -101 now, when it can be told: the login can be refreshed and was alive at the last check,
	 * so the likeliest end is a refresh made elsewhere with the same login.
	 */
	loggedOutHint(): string | undefined;
}

export function sessionKeeper(
	RED: NodeAPI,
	node: Node,
	options: {
		saved: AccountLogin;
		/** A client for this login, used for one check. */
		newClient(login: AccountLogin): BilibiliClient;
		/** The account's clients now open: they switch to a refreshed session. */
		liveClients(): Iterable<BilibiliClient>;
		/** A node of the account is running. */
		running(): boolean;
	},
): SessionKeeper {
	const t = (key: string, params?: Record<string, unknown>) =>
		RED._(`bilibili-config.session.${key}`, params);
	const store = sessionStore(RED, node.id);
	let login = restore(options.saved);
	let lastCheck: number | undefined;
	let timer: NodeJS.Timeout | undefined;
	let checking: Promise<void> | undefined;
	let closed = false;
	let removed = false;
	/** The SESSDATA Bilibili last accepted at a check (or made by a refresh here). */
	let aliveAtLastCheck: string | undefined;

	// The account node's instances in this process: one that a Deploy replaced may still be refreshing.
	const sameAccount = keepers.get(node.id) ?? new Set<Instance>();
	keepers.set(node.id, sameAccount);
	const self: Instance = {
		adopt(session, replaced) {
			// Another login deployed since (maybe another account) is not this refresh's business.
			if (login.SESSDATA !== replaced.SESSDATA) return;
			login = { ...login, ...session };
			aliveAtLastCheck = session.SESSDATA;
			for (const client of options.liveClients()) if (!client.closed) client.session.use(session);
		},
	};
	sameAccount.add(self);

	/**
	 * The stored session stands in for the saved login while the saved one is a login it replaced, or
	 * is itself (the credentials in memory may hold it before any Deploy wrote it to disk). Only another
	 * login, deployed since, retires it.
	 */
	function restore(saved: AccountLogin): AccountLogin {
		const kept = store?.load();
		if (!kept || !saved.SESSDATA) return saved;
		if (kept.session.SESSDATA === saved.SESSDATA) return saved;
		if (!kept.replaces.includes(fingerprint(saved.SESSDATA))) {
			// Another login was deployed since (a new QR login): it wins.
			store?.remove();
			return saved;
		}
		node.log(t('restored', { at: kept.refreshedAt }));
		// Into the runtime's credentials too, so the next Deploy writes it to flows_cred.json: the file
		// must not stay the only copy (a new credentialSecret or a restored backup would lose it).
		const current = RED.nodes.getCredentials(node.id) ?? {};
		RED.nodes.addCredentials(node.id, {
			...current,
			SESSDATA: kept.session.SESSDATA,
			bili_jct: kept.session.bili_jct,
			refresh_token: kept.session.refresh_token,
		});
		return { ...saved, ...kept.session };
	}

	/** The session this refresh stored, if it got that far (its values may be in a persist error). */
	let lastStored: RefreshedSession | undefined;
	const stored = () => lastStored;

	function onRefreshed(session: RefreshedSession, replaced: AccountLogin): void {
		lastStored = session;
		// Removed from the flows meanwhile: nothing would keep the new session, so nothing is confirmed.
		if (removed) throw new Error('the account node was removed during the refresh');
		// Kept for a restart before the next Deploy; a failure here throws, and nothing is confirmed.
		const replaces = [
			...(store?.load()?.replaces ?? []),
			fingerprint(options.saved.SESSDATA),
			fingerprint(replaced.SESSDATA),
		];
		store?.save({
			session,
			replaces: [...new Set(replaces)].slice(-REMEMBERED_LOGINS),
			refreshedAt: new Date().toISOString(),
		});
		// Saved to flows_cred.json at the next Deploy, unless another login was deployed meanwhile.
		const current = RED.nodes.getCredentials(node.id) ?? {};
		if (current.SESSDATA === replaced.SESSDATA || current.SESSDATA === options.saved.SESSDATA)
			RED.nodes.addCredentials(node.id, {
				...current,
				SESSDATA: session.SESSDATA,
				bili_jct: session.bili_jct,
				refresh_token: session.refresh_token,
			});
		// Every instance of this account in the process, a replacing one too, sends the new login now.
		for (const instance of sameAccount) instance.adopt(session, replaced);
	}

	async function check(): Promise<void> {
		lastCheck = Date.now();
		// A replaced instance may be refreshing with the same token: its outcome reaches this one first.
		await Promise.all([...sameAccount].filter((i) => i !== self).map((i) => i.refreshing));
		const refreshToken = login.refresh_token;
		if (!refreshToken) return;
		// A refresh spends the token and ends the saved cookies: without a place to keep the new ones,
		// a restart would start on a dead login. Said once a day, with what to do.
		if (!store) return node.warn(t('noUserDir'));
		const replaced = login;
		let client: BilibiliClient | undefined;
		const done = (async () => {
			try {
				client = options.newClient(login);
				const session = await client.session.refresh({
					refreshToken,
					onRefreshed: (s) => onRefreshed(s, replaced),
				});
				aliveAtLastCheck = session?.SESSDATA ?? replaced.SESSDATA;
				if (!session) node.debug(t('notDue'));
				else node.log(t('refreshed'));
			} catch (err) {
				const loggedOut =
					err instanceof BilibiliSessionRefreshError &&
					err.step === 'check' &&
					err.cause instanceof BilibiliApiError &&
					err.cause.code === -101;
				if (loggedOut && aliveAtLastCheck === replaced.SESSDATA)
					node.warn(`${t('failed')} ${REFRESHED_ELSEWHERE}`);
				else {
					// The client scrubs its own errors; this also covers a text it did not make.
					const text = err instanceof Error ? err.message : String(err);
					node.warn(`${t('failed')} ${redact(text, secretsOf(replaced, stored()))}`);
				}
			} finally {
				client?.close();
			}
		})();
		self.refreshing = done;
		await done;
		self.refreshing = undefined;
	}

	function schedule(): void {
		if (closed || timer || checking || !login.refresh_token) return;
		const wait = lastCheck === undefined ? 0 : Math.max(0, lastCheck + CHECK_EVERY_MS - Date.now());
		timer = setTimeout(() => {
			timer = undefined;
			// Checked only while a node of the account runs; the next use starts the clock again.
			if (!options.running()) return;
			checking = check()
				.catch(() => undefined)
				.finally(() => {
					checking = undefined;
					schedule();
				});
		}, wait);
	}

	if (!login.refresh_token) node.debug(t('noToken'));

	return {
		get login() {
			return login;
		},
		loggedOutHint() {
			return login.refresh_token && aliveAtLastCheck === login.SESSDATA
				? REFRESHED_ELSEWHERE
				: undefined;
		},
		inUse: schedule,
		async close(nodeRemoved, budgetMs) {
			closed = true;
			removed = nodeRemoved;
			clearTimeout(timer);
			timer = undefined;
			// A refresh in flight has spent its token: let it hand the new session over.
			let budget: NodeJS.Timeout | undefined;
			await Promise.race([
				checking,
				new Promise<void>((resolve) => (budget = setTimeout(resolve, budgetMs))),
			]);
			clearTimeout(budget);
			if (removed) store?.remove();
			// Past the budget, a refresh may still run: this instance stays known until it has ended.
			void Promise.resolve(self.refreshing).then(() => {
				sameAccount.delete(self);
				if (sameAccount.size === 0) keepers.delete(node.id);
			});
		},
	};
}
