/**
 * What every Node-RED action node shares: the operation from the editor (or msg.operation when the
 * editor says "set by msg.operation"), the account's client, status on every state change, errors to
 * done(err) so Catch nodes see them, and the client given back on redeploy.
 *
 * Node-RED's convention: a value set in the editor wins; msg fills only what the node leaves blank,
 * and a message that tries to change a set value is told so with a warning.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
	BilibiliApiError,
	BilibiliSpendingLimitError,
	BilibiliValidationError,
	type BilibiliClient,
	type ChargeParams,
} from '../index';
import type { NodeRedOperation, ApiArea } from '../client/operations';
import { fieldReader, given, upgrade, type FieldRead, type Fields, type NodeSpec } from './fields';
import type { CHARGE_FIELDS } from './specs/charge';
import type { BilibiliConfigNode, Node, NodeAPI, NodeDef, NodeMessage } from './types';

export interface ActionContext<F extends Fields = Fields> {
	client: BilibiliClient;
	msg: NodeMessage;
	/** A field, typed from the node's table: the editor's value when set, else the msg property named there. */
	field: FieldRead<F>;
	/** Aborted when the node closes and its close budget has run out: what still waits is cancelled. */
	signal: AbortSignal;
}

export type Action<F extends Fields = Fields> = (ctx: ActionContext<F>) => Promise<unknown>;

/** Tells the user, in the debug sidebar, which msg property a set editor value overrode. */
export function ignoredWarning(node: Node): (key: string, field: string) => void {
	return (key, field) =>
		node.warn(
			`msg.${key} ignored: this node sets "${field}" in the editor (clear the field to take it from msg)`,
		);
}

/** The operation value meaning "take it from msg.operation". */
export const FROM_MSG = 'msg';

/** Whom to charge and how much, from the editor or msg; the client validates the values. */
export function chargeParams(
	field: FieldRead<typeof CHARGE_FIELDS>,
	preferBalanceByDefault: boolean,
): ChargeParams {
	const otype = field('otype') ?? 'up';
	return {
		up_mid: field('up_mid') ?? '',
		bp_num: field('bp_num') ?? '',
		otype,
		oid: otype === 'archive' ? field('oid') : undefined,
		is_bp_remains_prior: field('preferBalance') ?? preferBalanceByDefault,
	};
}

/**
 * The bilibili-config node a node is set to, or null when none is chosen (or it is missing). The node
 * counts as one of the account's running nodes until it closes (the session is kept alive meanwhile).
 */
export function accountOf(RED: NodeAPI, def: NodeDef, node: Node): BilibiliConfigNode | null {
	const id = typeof def.account === 'string' ? def.account : '';
	const account = id ? (RED.nodes.getNode(id) as BilibiliConfigNode | null) : null;
	account?.attach(node);
	return account;
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

/** The editor's labels of a node type, in English (the runtime's messages are English). */
const labels = new Map<string, Record<string, string>>();
function labelsOf(type: string): Record<string, string> {
	let found = labels.get(type);
	if (!found) {
		try {
			const catalogue = JSON.parse(
				readFileSync(path.join(__dirname, 'locales', 'en-US', `${type}.json`), 'utf8'),
			) as Record<string, { label?: Record<string, string> }>;
			found = catalogue[type]?.label ?? {};
		} catch {
			found = {};
		}
		labels.set(type, found);
	}
	return found;
}

/**
 * A validation error told in the words of the node's edit dialog: the client names Bilibili's field
 * (up_mid), the user looks for the row labelled "Creator (UP) mid" (or msg.up_mid, which fills it).
 */
export function inEditorTerms(spec: NodeSpec, err: unknown): unknown {
	if (!(err instanceof BilibiliValidationError) || err instanceof BilibiliSpendingLimitError)
		return err;
	// A message a node wrote for its own field already says where to look.
	if (err.message !== `Invalid ${err.field}: expected ${err.expected}, got ${err.given}`)
		return err;
	const key = Object.keys(spec.fields).find(
		(k) => k === err.field || spec.fields[k].msg === err.field,
	);
	const label = key === undefined ? undefined : labelsOf(spec.type)[key];
	if (!label) return err;
	return new BilibiliValidationError(
		err.field,
		err.expected,
		err.given,
		`Invalid "${label}" (${err.field}): expected ${err.expected}, got ${err.given}`,
	);
}

function failureStatus(t: ReturnType<typeof statusTexts>, err: unknown): string {
	if (err instanceof BilibiliValidationError) return t('invalid', { field: err.field });
	if (err instanceof BilibiliApiError) return t('error', { code: err.code });
	return t('failed');
}

/** An action node: one implementation per operation its API area offers Node-RED (the client's table). */
export function registerAction<F extends Fields, A extends ApiArea>(
	RED: NodeAPI,
	spec: NodeSpec<F> & { area: A },
	actions: Record<NodeRedOperation<A>, Action<F>>,
): void {
	const type = spec.type;
	const table: Record<string, Action<F>> = actions;
	RED.nodes.registerType(type, function (this: Node, saved: NodeDef) {
		RED.nodes.createNode(this, saved);
		// A node saved by an older release runs as its upgraded config (the flow file is left as it is).
		const def = upgrade(spec, saved);
		const node = this;
		const account = accountOf(RED, def, node);
		const shared = account ? accountClient(account) : undefined;
		const t = statusTexts(RED, type);
		if (!account) node.status({ fill: 'red', shape: 'ring', text: t('noAccount') });
		// Translated once: every message shows them.
		const working = t('working');
		const finished = t('done');

		const warnIgnored = ignoredWarning(node);

		node.on('input', (msg, send, done) => {
			const fromMsg = !given(def.operation) || def.operation === FROM_MSG;
			if (!fromMsg && given(msg.operation) && msg.operation !== def.operation)
				warnIgnored('operation', 'operation');
			const operation = String(fromMsg ? (msg.operation ?? '') : def.operation);
			const action = Object.hasOwn(table, operation) ? table[operation] : undefined;
			if (!action) {
				node.status({ fill: 'red', shape: 'ring', text: t('unknownOperation') });
				return done(
					new Error(
						`Unknown operation "${operation}": use one of ${Object.keys(table).join(', ')}`,
					),
				);
			}
			if (!shared)
				return done(new Error('No Bilibili account: choose a bilibili-config node in this node'));
			const field = fieldReader(spec, def, msg, warnIgnored);
			node.status({ fill: 'blue', shape: 'dot', text: working });
			const work = (async () => {
				try {
					msg.payload = await action({
						client: shared.get(),
						msg,
						field,
						signal: stopping.signal,
					});
					node.status({ fill: 'green', shape: 'dot', text: finished });
					send(msg);
					done();
				} catch (err) {
					node.status({ fill: 'red', shape: 'ring', text: failureStatus(t, err) });
					done(inEditorTerms(spec, err) as Error);
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
