/**
 * bilibili-qrpay: each input message creates a charge QR code and is answered by one message per event
 * (created, scanned, paid, expired). Several codes can be watched at once; redeploying stops them all.
 */
import {
	CHARGE_ENDPOINTS,
	chargeForm,
	forgetTriggerGate,
	triggerGate,
	type BilibiliClient,
	type FailureGate,
	type QrPayEvent,
} from '../index';
import {
	accountOf,
	chargeParams,
	ignoredWarning,
	inEditorTerms,
	pngFields,
	statusTexts,
} from './action';
import { fieldReader, upgrade } from './fields';
import spec from './specs/bilibili-qrpay';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './types';

interface Watch {
	controller: AbortController;
	state: string;
	expiresAt: number;
	/** Settles once the watch has reported its end (done or done(err)). */
	ended?: Promise<void>;
}

export = function register(RED: NodeAPI): void {
	RED.nodes.registerType('bilibili-qrpay', function (this: Node, saved: NodeDef) {
		RED.nodes.createNode(this, saved);
		const def = upgrade(spec, saved);
		const node = this;
		const account = accountOf(RED, def, node);
		// Read once, never throwing: a hand-written non-number falls back to 3 s (at least 1 s).
		const interval = Number(def.interval);
		const intervalMs = Math.round(
			Math.max(1, Number.isFinite(interval) && interval > 0 ? interval : 3) * 1000,
		);
		const watches = new Map<number, Watch>();
		const t = statusTexts(RED, 'bilibili-qrpay');
		let client: BilibiliClient | undefined;
		let gate: FailureGate | undefined;
		let gateKey = '';
		let ticker: NodeJS.Timeout | undefined;
		let nextId = 0;

		const showStatus = () => {
			if (watches.size === 0) {
				if (ticker) clearInterval(ticker);
				ticker = undefined;
				node.status({ fill: 'grey', shape: 'ring', text: t('idle') });
				return;
			}
			const newest = [...watches.values()].pop()!;
			const minutes = Math.max(0, Math.ceil((newest.expiresAt - Date.now()) / 60_000));
			const state = t(newest.state, { minutes });
			node.status({
				fill: newest.state === 'scanned' ? 'yellow' : 'blue',
				shape: 'dot',
				text: watches.size > 1 ? t('several', { count: watches.size, state }) : state,
			});
		};

		node.on('input', (msg, send, done) => {
			if (!account)
				return done(new Error('No Bilibili account: choose a bilibili-config node in this node'));
			// A QR code is paid with Alipay or WeChat, so the B-coin balance is not spent unless asked.
			let charge: ReturnType<typeof chargeParams>;
			try {
				charge = chargeParams(fieldReader(spec, def, msg, ignoredWarning(node)), false);
				// Whom to charge and how much are checked before any code is made (an example imported
				// with its Creator (UP) mid left blank stops here).
				chargeForm(charge, false);
			} catch (err) {
				const field = (err as { field?: unknown }).field;
				node.status({ fill: 'red', shape: 'ring', text: t('invalid', { field }) });
				return done(inEditorTerms(spec, err) as Error);
			}
			const id = nextId++;
			const watch: Watch = {
				controller: new AbortController(),
				state: 'creating',
				expiresAt: Date.now() + 10 * 60_000,
			};
			watches.set(id, watch);
			ticker ??= setInterval(showStatus, 30_000);
			showStatus();

			const onEvent = (event: QrPayEvent) => {
				watch.state = event.type;
				if (event.expires_at) watch.expiresAt = Date.parse(event.expires_at);
				showStatus();
				if (event.type === 'failed') return;
				const { png, svg: _svg, terminal: _terminal, error: _error, ...details } = event;
				const out: NodeMessage = RED.util.cloneMessage(msg);
				out.topic = event.type;
				out.payload = { ...details, ...pngFields(png) };
				send(out);
			};
			try {
				if (!client) {
					// Its own client without quick retries: while requests keep failing, the gate spaces them.
					client = account.createTriggerClient();
					gateKey = `node-red:qrpay:${node.id}:${client.accountKey}`;
					gate = triggerGate(gateKey);
				}
				// Refused at once, nothing sent, while recent failures keep the gate closed.
				gate!.check(CHARGE_ENDPOINTS.createQrPay.name);
			} catch (err) {
				watches.delete(id);
				showStatus();
				return done(err as Error);
			}
			watch.ended = client
				.watchQrPay({
					charge,
					gate,
					intervalMs,
					signal: watch.controller.signal,
					onEvent,
				})
				.then((final) => {
					watches.delete(id);
					showStatus();
					// A watch stopped by a Deploy while its code was being made reports a code that may exist.
					if (final?.type === 'failed') {
						node.status({ fill: 'red', shape: 'ring', text: t('failed') });
						done(final.error);
					} else done();
				}, done);
		});

		node.on('close', (removed, closed) => {
			if (removed) forgetTriggerGate(gateKey);
			const ending = [...watches.values()].map((w) => w.ended);
			for (const w of watches.values()) w.controller.abort();
			watches.clear();
			if (ticker) clearInterval(ticker);
			ticker = undefined;
			// Each watch ends at once when aborted; its report (done or done(err)) comes before closed().
			void Promise.allSettled(ending).then(() => {
				client?.close();
				client = undefined;
				node.status({});
				closed();
			});
		});
	});
};
