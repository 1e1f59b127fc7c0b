/**
 * bilibili-remark-in: polls for new charge remarks and sends one message per remark, oldest first.
 * The mark moves only when a poll succeeds, and is saved (remarkMarks.ts: in this process, in a file
 * in the user directory, in node context) before that poll's remarks are sent.
 */
import {
	BilibiliBackingOffError,
	forgetTriggerGate,
	REMARK_ENDPOINTS,
	triggerGate,
	type BilibiliClient,
	type FailureGate,
} from '../index';
import { accountOf, statusTexts } from './action';
import { fieldReader, upgrade } from './fields';
import { remarkMarks } from './remarkMarks';
import spec from './specs/bilibili-remark-in';
import type { Node, NodeAPI, NodeDef } from './types';

/** Seconds; Bilibili answers fast pollers with risk control (-412/-352). */
const MIN_INTERVAL_S = 15;

export = function register(RED: NodeAPI): void {
	RED.nodes.registerType('bilibili-remark-in', function (this: Node, saved: NodeDef) {
		RED.nodes.createNode(this, saved);
		const node = this;
		const def = upgrade(spec, saved);
		const setting = fieldReader(spec, def, {});
		const account = accountOf(RED, def, node);
		const intervalMs = Math.max(MIN_INTERVAL_S, Number(setting('interval')) || 60) * 1000;
		const includeDetails = setting('includeDetails') !== false;
		const stop = new AbortController();
		const t = statusTexts(RED, 'bilibili-remark-in');
		let client: BilibiliClient | undefined;
		let gate: FailureGate | undefined;
		let gateKey = '';
		let emitLatest = setting('emitLatestOnStart') === true;
		let timer: NodeJS.Timeout | undefined;
		let polling: Promise<void> | undefined;

		const marks = remarkMarks(RED, node);

		const poll = async () => {
			try {
				if (!client) {
					// Its own client without quick retries: while polls keep failing, the gate spaces them.
					client = account!.createTriggerClient();
					gateKey = `node-red:remarks:${node.id}:${client.accountKey}`;
					gate = triggerGate(gateKey);
				}
				const signal = stop.signal;
				const { mark, latestEmitted } = marks.load();
				const result = await gate!.run(
					REMARK_ENDPOINTS.list.name,
					async () => {
						if (!mark && emitLatest && !latestEmitted) {
							const latest = await client!.newestRemark({ includeDetails, signal });
							if (signal.aborted) return undefined;
							// Saved as fired before it is sent: a restart does not send it again.
							marks.save({ latestEmitted: true });
							if (latest) node.send({ topic: 'remark', payload: latest });
						}
						emitLatest = false;
						return client!.pollNewRemarks(mark, { includeDetails, signal });
					},
					signal,
				);
				if (!result || stop.signal.aborted) return;
				const { remarks, mark: next, primed } = result;
				marks.save({ ...marks.load(), mark: next });
				for (const remark of remarks) node.send({ topic: 'remark', payload: remark });
				const time = new Date().toLocaleTimeString();
				node.status({
					fill: 'green',
					shape: 'dot',
					text: primed ? t('watching', { time }) : t('new', { count: remarks.length, time }),
				});
			} catch (err) {
				if (stop.signal.aborted) return;
				if (err instanceof BilibiliBackingOffError) {
					// Paused by the gate, nothing sent: a status, not an error every interval.
					node.status({
						fill: 'yellow',
						shape: 'ring',
						text: t('paused', {
							failures: err.consecutiveFailures,
							time: err.nextAttemptAt.toLocaleTimeString(),
						}),
					});
					return;
				}
				node.status({
					fill: 'red',
					shape: 'ring',
					text: t('pollFailed', { time: new Date().toLocaleTimeString() }),
				});
				// With a message, so Catch nodes see the failure (Node-RED passes message-less errors to the log only).
				node.error(err, { topic: 'poll', payload: { error: (err as Error).message } });
			}
		};

		const pollAndSchedule = () => {
			if (stop.signal.aborted || polling) return;
			if (timer) clearTimeout(timer);
			polling = poll().finally(() => {
				polling = undefined;
				if (!stop.signal.aborted)
					timer = setTimeout(pollAndSchedule, Math.max(intervalMs, gate?.waitMs() ?? 0));
			});
		};

		if (!account) node.status({ fill: 'red', shape: 'ring', text: t('noAccount') });
		else {
			node.status({ fill: 'blue', shape: 'ring', text: t('starting') });
			pollAndSchedule();
		}

		// Any input message polls at once (e.g. an Inject button for "check now").
		node.on('input', (_msg, _send, done) => {
			pollAndSchedule();
			done();
		});

		node.on('close', (removed, closedDone) => {
			// Abort the poll in flight: its remarks are not sent and the mark stays, so the next start sends them.
			stop.abort();
			if (timer) clearTimeout(timer);
			if (removed) {
				marks.remove();
				forgetTriggerGate(gateKey);
			}
			void (polling ?? Promise.resolve()).finally(() => {
				client?.close();
				node.status({});
				closedDone();
			});
		});
	});
};
