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

/** One instance of an account node (a Deploy replaces the instance, not the account). */
interface Instance {
	/** Send a session another instance of the account refreshed. */
	adopt(session: RefreshedSession): void;
	/** Its refresh in flight: a replacing instance waits for it. */
	refreshing?: Promise<void>;
}

/** Instances by account node id, each kept until its last refresh has ended. */
const keepers = new Map<string, Set<Instance>>();

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

	// The account node's instances in this process: one that a Deploy replaced may still be refreshing.
	const sameAccount = keepers.get(node.id) ?? new Set<Instance>();
	keepers.set(node.id, sameAccount);
	const self: Instance = {
		adopt(session) {
			login = { ...login, ...session };
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
		return { ...saved, ...kept.session };
	}

	function onRefreshed(session: RefreshedSession, replaced: AccountLogin): void {
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
		for (const instance of sameAccount) instance.adopt(session);
	}

	async function check(): Promise<void> {
		lastCheck = Date.now();
		// A replaced instance may be refreshing with the same token: its outcome reaches this one first.
		await Promise.all([...sameAccount].filter((i) => i !== self).map((i) => i.refreshing));
		const refreshToken = login.refresh_token;
		if (!refreshToken) return;
		const replaced = login;
		let client: BilibiliClient | undefined;
		const done = (async () => {
			try {
				client = options.newClient(login);
				const session = await client.session.refresh({
					refreshToken,
					confirm: store !== null,
					onRefreshed: (s) => onRefreshed(s, replaced),
				});
				if (!session) node.debug(t('notDue'));
				else node.log(t(store ? 'refreshed' : 'refreshedUnconfirmed'));
			} catch (err) {
				node.warn(`${t('failed')} ${err instanceof Error ? err.message : String(err)}`);
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
