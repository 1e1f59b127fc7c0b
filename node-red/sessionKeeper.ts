/**
 * Keeps an account's login alive (cookie-refresh.md). While a node of the account runs, it asks
 * Bilibili once a day whether a refresh is due, and refreshes. The new session is handed to Node-RED's
 * credentials (saved at the next Deploy) and to the session store (sessionStore.ts, read at a restart
 * before that Deploy), and every live client of the account switches to it, all before the old session
 * is confirmed away. Without a place to store it, the refresh is not confirmed, so the saved cookies
 * keep working. The log says when it refreshed, never a value.
 */
import type { BilibiliClient, RefreshedSession } from '../index';
import { fingerprint, sessionStore } from './sessionStore';
import type { Node, NodeAPI } from './types';

export const CHECK_EVERY_MS = 24 * 60 * 60_000;

/** How many earlier logins a stored session remembers it stands in for. */
const REMEMBERED_LOGINS = 20;

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

	/** The stored session stands in for the saved login only while no Deploy has replaced that login. */
	function restore(saved: AccountLogin): AccountLogin {
		const kept = store?.load();
		if (!kept) return saved;
		if (kept.session.SESSDATA === saved.SESSDATA) {
			// A Deploy saved it with the account: the file has done its job.
			store?.remove();
			return saved;
		}
		if (!kept.replaces.includes(fingerprint(saved.SESSDATA))) {
			// Another login was deployed since (a new QR login): it wins.
			store?.remove();
			return saved;
		}
		node.log(t('restored', { at: kept.refreshedAt }));
		return { ...saved, ...kept.session };
	}

	function onRefreshed(session: RefreshedSession, replaced: AccountLogin): void {
		login = { ...login, ...session };
		for (const client of options.liveClients()) if (!client.closed) client.session.use(session);
		// Saved to flows_cred.json at the next Deploy...
		RED.nodes.addCredentials(node.id, {
			...node.credentials,
			SESSDATA: session.SESSDATA,
			bili_jct: session.bili_jct,
			refresh_token: session.refresh_token,
		});
		// ...and kept here until then. A failure here throws: nothing is confirmed, the old login stays.
		if (removed) return;
		const replaces = [...(store?.load()?.replaces ?? []), fingerprint(replaced.SESSDATA)];
		store?.save({
			session,
			replaces: replaces.slice(-REMEMBERED_LOGINS),
			refreshedAt: new Date().toISOString(),
		});
	}

	async function check(): Promise<void> {
		lastCheck = Date.now();
		const refreshToken = login.refresh_token;
		if (!refreshToken) return;
		const replaced = login;
		const client = options.newClient(login);
		try {
			const session = await client.session.refresh({
				refreshToken,
				confirm: store !== null,
				onRefreshed: (s) => onRefreshed(s, replaced),
			});
			if (!session) node.debug(t('notDue'));
			else node.log(t(store ? 'refreshed' : 'refreshedUnconfirmed'));
		} catch (err) {
			node.warn(`${t('failed')} ${(err as Error).message}`);
		} finally {
			client.close();
		}
	}

	function schedule(): void {
		if (closed || timer || checking || !login.refresh_token) return;
		const wait = lastCheck === undefined ? 0 : Math.max(0, lastCheck + CHECK_EVERY_MS - Date.now());
		timer = setTimeout(() => {
			timer = undefined;
			// Checked only while a node of the account runs; the next use starts the clock again.
			if (!options.running()) return;
			checking = check().finally(() => {
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
		},
	};
}
