/**
 * bilibili-config: the account's cookies (SESSDATA, bili_jct, buvid3 in Node-RED's encrypted
 * credentials), its pacing and its spending limits. It owns the one client every node of this account
 * shares, so pacing holds across nodes; the client closes when the last user lets go or the config
 * node itself closes.
 */
import { BilibiliClient, type BilibiliClientOptions } from '../index';
import { closeBudgetMs } from './action';
import { fieldReader, upgrade } from './fields';
import { registerQrLogin } from './qrLogin';
import spec from './specs/bilibili-config';
import type { BilibiliConfigNode, Node, NodeAPI, NodeDef } from './types';

/** An editor number field: blank keeps the client's default, anything else is checked by the client. */
function numberField(value: unknown): number | undefined {
	return value === undefined || value === null || value === '' ? undefined : Number(value);
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

			const options = (): BilibiliClientOptions => ({
				credentials: {
					SESSDATA: node.credentials.SESSDATA ?? '',
					bili_jct: node.credentials.bili_jct || undefined,
					buvid3: node.credentials.buvid3 || undefined,
					DedeUserID: setting('DedeUserID') || undefined,
				},
				baseUrl: setting('baseUrl') || undefined,
				biliTicket: setting('biliTicket') === true,
				rateLimit: { minIntervalMs: numberField(setting('minIntervalMs')) },
				spendingLimits: {
					maxPerCharge: numberField(setting('maxBcoinPerCharge')),
					maxPer24h: numberField(setting('maxBcoinPer24h')),
				},
			});
			node.acquireClient = () => {
				shared ??= new BilibiliClient(options());
				users++;
				return shared;
			};
			node.createTriggerClient = () => new BilibiliClient({ ...options(), retry: { retries: 0 } });
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
			node.on('close', (_removed, done) => {
				const finish = () => {
					clearTimeout(timer);
					allReleased = undefined;
					shared?.close();
					shared = undefined;
					users = 0;
					done();
				};
				const timer = setTimeout(finish, users > 0 ? closeBudgetMs(RED) + 500 : 0);
				if (users > 0) allReleased = finish;
			});
		},
		{
			credentials: Object.fromEntries(
				(spec.credentials ?? []).map((key) => [key, { type: 'password' as const }]),
			),
		},
	);
};
