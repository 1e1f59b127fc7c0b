/**
 * bilibili-config: the account's cookies (SESSDATA, bili_jct, buvid3 in Node-RED's encrypted
 * credentials), its pacing and its spending limits. It owns the one client every node of this account
 * shares, so pacing holds across nodes; the client closes when the last user lets go or the config
 * node itself closes.
 */
import { BilibiliClient, type BilibiliClientOptions, type ProxySetting } from '../index';
import { closeBudgetMs } from './action';
import { fieldReader, upgrade } from './fields';
import { registerQrLogin } from './qrLogin';
import { sessionKeeper } from './sessionKeeper';
import { spendingStore } from './spendingStore';
import spec from './specs/bilibili-config';
import type { BilibiliConfigNode, Node, NodeAPI, NodeDef } from './types';

/** An editor number field: blank keeps the client's default, anything else is checked by the client. */
function numberField(value: unknown): number | undefined {
	return value === undefined || value === null || value === '' ? undefined : Number(value);
}

/**
 * The http proxy config node the account names, as Node-RED's http request node reads it (url, the
 * hosts to reach directly, its credentials); undefined: the environment's proxy, if any.
 */
function proxySetting(RED: NodeAPI, id: unknown): ProxySetting | undefined {
	if (!id) return undefined;
	const proxy = RED.nodes.getNode(String(id)) as
		| (Node & {
				url?: string;
				noproxy?: string[];
				credentials?: { username?: string; password?: string };
		  })
		| null;
	// A proxy node that is missing (deleted, disabled) would send the cookies past the proxy: refused.
	if (!proxy?.url) return { url: '' };
	return {
		url: proxy.url,
		noProxy: proxy.noproxy,
		username: proxy.credentials?.username || undefined,
		password: proxy.credentials?.password || undefined,
	};
}

export = function register(RED: NodeAPI): void {
	registerQrLogin(RED);
	RED.nodes.registerType(
		'bilibili-config',
		function (this: Node, saved: NodeDef) {
			RED.nodes.createNode(this, saved);
			const setting = fieldReader(spec, upgrade(spec, saved), {});
			const node = this as BilibiliConfigNode;
			let shared: BilibiliClient | undefined;
			let users = 0;
			// Every client handed out, so a refreshed session reaches them all; pruned as they close.
			const clients = new Set<BilibiliClient>();
			const liveClients = () => {
				for (const c of clients) if (c.closed) clients.delete(c);
				return clients;
			};

			// One store per account node: every client of it counts into the same file.
			const spending = spendingStore(RED, node.id);
			const options = (login = keeper.login): BilibiliClientOptions => ({
				credentials: {
					SESSDATA: login.SESSDATA,
					bili_jct: login.bili_jct || undefined,
					buvid3: node.credentials.buvid3 || undefined,
					DedeUserID: login.DedeUserID,
				},
				baseUrl: setting('baseUrl') || undefined,
				proxy: proxySetting(RED, setting('proxy')),
				biliTicket: setting('biliTicket') === true,
				refreshPublicKey: setting('refreshPublicKey') || undefined,
				// A -101 says "refreshed elsewhere" when the account can tell (sessionKeeper.ts).
				loggedOutHint: () => keeper.loggedOutHint(),
				rateLimit: { minIntervalMs: numberField(setting('minIntervalMs')) },
				spendingLimits: {
					maxPerCharge: numberField(setting('maxBcoinPerCharge')),
					maxPer24h: numberField(setting('maxBcoinPer24h')),
					minBcoinBalance: numberField(setting('minBcoinBalance')),
				},
				spendingStore: spending,
			});
			// The account's nodes now running: its session is checked while there is one.
			const attached = new Set<string>();
			const keeper = sessionKeeper(RED, node, {
				saved: {
					SESSDATA: node.credentials.SESSDATA ?? '',
					bili_jct: node.credentials.bili_jct || undefined,
					DedeUserID: String(setting('DedeUserID') ?? '') || undefined,
					refresh_token: node.credentials.refresh_token || undefined,
				},
				newClient: (login) => new BilibiliClient(options(login)),
				liveClients,
				running: () => attached.size > 0,
			});
			node.attach = (user) => {
				attached.add(user.id);
				user.on('close', () => attached.delete(user.id));
				keeper.inUse();
			};
			const handOut = (client: BilibiliClient) => {
				liveClients().add(client);
				return client;
			};
			node.acquireClient = () => {
				shared ??= handOut(new BilibiliClient(options()));
				users++;
				return shared;
			};
			node.createTriggerClient = () =>
				handOut(new BilibiliClient({ ...options(), retry: { retries: 0 } }));
			let allReleased: (() => void) | undefined;
			node.releaseClient = () => {
				users = Math.max(0, users - 1);
				if (users === 0) {
					shared?.close();
					shared = undefined;
					allReleased?.();
				}
			};
			// Stopped beside its users: the shared client stays open while they finish what they queued
			// (they give it back within the same budget), then closes, ending whatever is left.
			node.on('close', (removed, done) => {
				const budgetMs = closeBudgetMs(RED);
				// A refresh in flight finishes first (it has spent its token), within the close budget.
				const refreshing = keeper.close(removed, budgetMs);
				let timer: NodeJS.Timeout | undefined;
				const released = new Promise<void>((resolve) => {
					if (users === 0) return resolve();
					allReleased = resolve;
					timer = setTimeout(resolve, budgetMs + 500);
				});
				void Promise.all([refreshing, released]).then(() => {
					clearTimeout(timer);
					allReleased = undefined;
					shared?.close();
					shared = undefined;
					users = 0;
					done();
				});
			});
		},
		{
			credentials: Object.fromEntries(
				(spec.credentials ?? []).map((key) => [key, { type: 'password' as const }]),
			),
		},
	);
};
