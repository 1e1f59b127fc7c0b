/**
 * What every Node-RED action node shares: the operation from the editor (or msg.operation when the
 * editor says "set by msg.operation"), the account's client, status on every state change, errors to
 * done(err) so Catch nodes see them, and the client given back on redeploy.
 *
 * Node-RED's convention: a value set in the editor wins; msg fills only what the node leaves blank,
 * and a message that tries to change a set value is told so with a warning.
 */
import {
	BilibiliApiError,
	BilibiliValidationError,
	type BilibiliClient,
	type ChargeParams,
} from '../index';
import type { BilibiliConfigNode, Node, NodeAPI, NodeDef, NodeMessage } from './types';

export interface ActionContext {
	client: BilibiliClient;
	msg: NodeMessage;
	def: NodeDef;
	/** The editor's value for `field` (default: same name) when set, else msg[key]. */
	param(key: string, field?: string): unknown;
	/** Aborted when the node closes and its close budget has run out: what still waits is cancelled. */
	signal: AbortSignal;
}

export type Action = (ctx: ActionContext) => Promise<unknown>;

function given(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

/** Set in the editor: text or a number filled in, a box ticked (an unticked box leaves the choice to msg). */
function setInEditor(value: unknown): boolean {
	return given(value) && value !== false;
}

export type Param = ActionContext['param'];

/** Tells the user, in the debug sidebar, which msg property a set editor value overrode. */
export function ignoredWarning(node: Node): (key: string, field: string) => void {
	return (key, field) =>
		node.warn(
			`msg.${key} ignored: this node sets "${field}" in the editor (clear the field to take it from msg)`,
		);
}

/** The operation value meaning "take it from msg.operation". */
export const FROM_MSG = 'msg';

/**
 * The lookup every node uses: the editor's field when set, else msg[key]. `ignored` hears of each
 * msg property that a set editor value overrode, so the node can warn.
 */
export function paramLookup(
	msg: NodeMessage,
	def: NodeDef,
	ignored?: (key: string, field: string) => void,
): Param {
	return (key, field = key) => {
		if (!setInEditor(def[field]))
			return given(msg[key]) ? msg[key] : def[field] === false ? false : undefined;
		if (given(msg[key]) && String(msg[key]) !== String(def[field])) ignored?.(key, field);
		return def[field];
	};
}

/** Whom to charge and how much, from msg or the editor; the client validates the values. */
export function chargeParams(param: Param, preferBalanceByDefault: boolean): ChargeParams {
	const otype = (param('otype') ?? 'up') as ChargeParams['otype'];
	const prior = param('is_bp_remains_prior', 'preferBalance');
	return {
		up_mid: param('up_mid') as string,
		bp_num: param('bp_num') as number,
		otype,
		oid: otype === 'archive' ? (param('oid') as string) : undefined,
		// Passed as given: the client accepts true/false (or those words) and refuses anything else unsent.
		is_bp_remains_prior: (prior ?? preferBalanceByDefault) as boolean,
	};
}

/** The account's shared client, taken on first use and given back once when the node closes. */
export function accountClient(account: BilibiliConfigNode) {
	let client: BilibiliClient | undefined;
	return {
		get: (): BilibiliClient => (client ??= account.acquireClient()),
		release(): void {
			if (!client) return;
			client = undefined;
			account.releaseClient();
		},
	};
}

/** A short status from the node's i18n catalogue (locales/<lang>/<type>.json, "status" block). */
export function statusTexts(RED: NodeAPI, type: string) {
	return (key: string, params?: Record<string, unknown>) => RED._(`${type}.status.${key}`, params);
}

function failureStatus(t: ReturnType<typeof statusTexts>, err: unknown): string {
	if (err instanceof BilibiliValidationError) return t('invalid', { field: err.field });
	if (err instanceof BilibiliApiError) return t('error', { code: err.code });
	return t('failed');
}

export function registerAction(RED: NodeAPI, type: string, actions: Record<string, Action>): void {
	RED.nodes.registerType(type, function (this: Node, def: NodeDef) {
		RED.nodes.createNode(this, def);
		const node = this;
		const account = RED.nodes.getNode(def.account as string) as BilibiliConfigNode | null;
		const shared = account ? accountClient(account) : undefined;
		const t = statusTexts(RED, type);
		if (!account) node.status({ fill: 'red', shape: 'ring', text: t('noAccount') });

		const warnIgnored = ignoredWarning(node);

		node.on('input', (msg, send, done) => {
			const fromMsg = !given(def.operation) || def.operation === FROM_MSG;
			if (!fromMsg && given(msg.operation) && msg.operation !== def.operation)
				warnIgnored('operation', 'operation');
			const operation = String(fromMsg ? (msg.operation ?? '') : def.operation);
			const action = actions[operation];
			if (!action) {
				node.status({ fill: 'red', shape: 'ring', text: t('unknownOperation') });
				return done(
					new Error(
						`Unknown operation "${operation}": use one of ${Object.keys(actions).join(', ')}`,
					),
				);
			}
			if (!shared)
				return done(new Error('No Bilibili account: choose a bilibili-config node in this node'));
			const param = paramLookup(msg, def, warnIgnored);
			node.status({ fill: 'blue', shape: 'dot', text: t('working') });
			const work = (async () => {
				try {
					msg.payload = await action({
						client: shared.get(),
						msg,
						def,
						param,
						signal: stopping.signal,
					});
					node.status({ fill: 'green', shape: 'dot', text: t('done') });
					send(msg);
					done();
				} catch (err) {
					node.status({ fill: 'red', shape: 'ring', text: failureStatus(t, err) });
					done(err as Error);
				}
			})();
			pending.add(work);
			void work.finally(() => pending.delete(work));
		});

		// A Deploy or stop closes the node while requests may still wait in the account's pacing queue:
		// they are finished first, within Node-RED's close timeout. Whatever is still under way then is
		// cancelled (this node's requests only: the account's client may serve other nodes) and each
		// one reported through done(err), before the node says it has closed: never dropped silently.
		const pending = new Set<Promise<void>>();
		const stopping = new AbortController();
		node.on('close', (_removed, closed) => {
			const finish = () => {
				shared?.release();
				node.status({});
				closed();
			};
			if (pending.size === 0) return finish();
			node.status({ fill: 'yellow', shape: 'ring', text: t('finishing', { count: pending.size }) });
			const settled = () => Promise.allSettled([...pending]);
			const timer = setTimeout(() => {
				const left = pending.size;
				stopping.abort();
				void settled().then(() => {
					node.warn(
						`Closing: ${left} request(s) still under way were cancelled; each is reported as an error (not sent, or for a charge in flight, outcome unknown)`,
					);
					finish();
				});
			}, closeBudgetMs(RED));
			void settled().then(() => {
				if (stopping.signal.aborted) return;
				clearTimeout(timer);
				finish();
			});
		});
	});
}

/** How long a closing node may finish its work: Node-RED's close timeout (15 s unless set) less a margin. */
export function closeBudgetMs(RED: NodeAPI): number {
	const timeout = Number(RED.settings?.nodeCloseTimeout) || 15_000;
	return Math.max(500, timeout - 3_000);
}

/** A Buffer PNG and a data: URL for dashboards. */
export function pngFields(png: Buffer | undefined): { png?: Buffer; dataUrl?: string } {
	return png ? { png, dataUrl: `data:image/png;base64,${png.toString('base64')}` } : {};
}
