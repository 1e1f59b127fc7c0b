/**
 * bilibili-remark-in: polls for new charge remarks and sends one message per remark, oldest first.
 * The mark lives in node context, so with a persistent context store a restart neither repeats nor
 * skips a remark; it is stored only after the remarks are sent, and a failed poll leaves it alone.
 */
import type { BilibiliClient, RemarkMark } from '../index';
import type { BilibiliConfigNode, Node, NodeAPI, NodeDef } from './types';

/** Seconds; Bilibili answers fast pollers with risk control (-412/-352). */
const MIN_INTERVAL_S = 15;

export = function register(RED: NodeAPI): void {
	RED.nodes.registerType('bilibili-remark-in', function (this: Node, def: NodeDef) {
		RED.nodes.createNode(this, def);
		const node = this;
		const account = RED.nodes.getNode(def.account as string) as BilibiliConfigNode | null;
		const intervalMs = Math.max(MIN_INTERVAL_S, Number(def.interval) || 60) * 1000;
		const includeDetails = def.includeDetails !== false;
		let emitLatest = def.emitLatestOnStart === true;
		let client: BilibiliClient | undefined;
		let timer: NodeJS.Timeout | undefined;
		let polling: Promise<void> | undefined;
		let closed = false;

		const poll = async () => {
			try {
				client ??= account!.createClient();
				const context = node.context();
				const mark = context.get('mark') as RemarkMark | undefined;
				if (!mark && emitLatest) {
					const latest = await client.newestRemark({ includeDetails });
					if (latest) node.send({ topic: 'remark', payload: latest });
				}
				emitLatest = false;
				const { remarks, mark: next, primed } = await client.pollNewRemarks(mark, { includeDetails });
				for (const remark of remarks) node.send({ topic: 'remark', payload: remark });
				context.set('mark', next);
				const when = new Date().toLocaleTimeString();
				node.status({ fill: 'green', shape: 'dot', text: primed ? `watching since ${when}` : `${remarks.length} new · ${when}` });
			} catch (err) {
				node.status({ fill: 'red', shape: 'ring', text: `poll failed · ${new Date().toLocaleTimeString()}` });
				// With a message, so Catch nodes see the failure (Node-RED passes message-less errors to the log only).
				node.error(err, { topic: 'poll', payload: { error: (err as Error).message } });
			}
		};

		const pollAndSchedule = () => {
			if (closed || polling) return;
			if (timer) clearTimeout(timer);
			polling = poll().finally(() => {
				polling = undefined;
				if (!closed) timer = setTimeout(pollAndSchedule, intervalMs);
			});
		};

		if (!account) node.status({ fill: 'red', shape: 'ring', text: 'no account' });
		else {
			node.status({ fill: 'blue', shape: 'ring', text: 'starting' });
			pollAndSchedule();
		}

		// Any input message polls at once (e.g. an Inject button for "check now").
		node.on('input', (_msg, _send, done) => {
			pollAndSchedule();
			done();
		});

		node.on('close', (_removed, closedDone) => {
			closed = true;
			if (timer) clearTimeout(timer);
			void (polling ?? Promise.resolve()).finally(() => {
				client?.close();
				client = undefined;
				node.status({});
				closedDone();
			});
		});
	});
};
