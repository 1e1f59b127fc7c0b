/**
 * What every Node-RED action node shares: the operation from the editor or msg.operation, the client
 * from the bilibili-config node, status on every state change, errors to done(err) so Catch nodes see
 * them, and the client closed on redeploy.
 */
import { BilibiliApiError, BilibiliValidationError, type BilibiliClient, type ChargeParams } from '../index';
import type { BilibiliConfigNode, Node, NodeAPI, NodeDef, NodeMessage } from './types';

export interface ActionContext {
	client: BilibiliClient;
	msg: NodeMessage;
	def: NodeDef;
	/** msg[key] when the message sets it, else the editor's value for `field` (default: same name). */
	param(key: string, field?: string): unknown;
}

export type Action = (ctx: ActionContext) => Promise<unknown>;

function given(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

export type Param = ActionContext['param'];

/** The lookup every node uses: msg[key] when the message sets it, else the editor's field. */
export function paramLookup(msg: NodeMessage, def: NodeDef): Param {
	return (key, field = key) => (given(msg[key]) ? msg[key] : given(def[field]) ? def[field] : undefined);
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

function statusText(err: unknown): string {
	if (err instanceof BilibiliValidationError) return `invalid ${err.field}`;
	if (err instanceof BilibiliApiError) return `error ${err.code}`;
	return 'error';
}

export function registerAction(RED: NodeAPI, type: string, actions: Record<string, Action>): void {
	RED.nodes.registerType(type, function (this: Node, def: NodeDef) {
		RED.nodes.createNode(this, def);
		const node = this;
		const account = RED.nodes.getNode(def.account as string) as BilibiliConfigNode | null;
		const shared = account ? accountClient(account) : undefined;
		if (!account) node.status({ fill: 'red', shape: 'ring', text: 'no account' });

		node.on('input', (msg, send, done) => {
			const operation = String(given(msg.operation) ? msg.operation : def.operation);
			const action = actions[operation];
			if (!action) {
				node.status({ fill: 'red', shape: 'ring', text: 'unknown operation' });
				return done(new Error(`Unknown operation "${operation}": use one of ${Object.keys(actions).join(', ')}`));
			}
			if (!shared) return done(new Error('No Bilibili account: choose a bilibili-config node in this node'));
			const param = paramLookup(msg, def);
			node.status({ fill: 'blue', shape: 'dot', text: operation });
			void (async () => {
				try {
					msg.payload = await action({ client: shared.get(), msg, def, param });
					node.status({ fill: 'green', shape: 'dot', text: `${operation} ✓ ${new Date().toLocaleTimeString()}` });
					send(msg);
					done();
				} catch (err) {
					node.status({ fill: 'red', shape: 'ring', text: statusText(err) });
					done(err as Error);
				}
			})();
		});

		node.on('close', (_removed, closed) => {
			shared?.release();
			node.status({});
			closed();
		});
	});
}

/** A Buffer PNG and a data: URL for dashboards. */
export function pngFields(png: Buffer | undefined): { png?: Buffer; dataUrl?: string } {
	return png ? { png, dataUrl: `data:image/png;base64,${png.toString('base64')}` } : {};
}
