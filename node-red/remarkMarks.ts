/**
 * What bilibili-remark-in has seen: its mark (with the seen list) and whether "emit the latest remark
 * on start" has fired. Kept in this process by node id (a Deploy, full or not, carries it over whatever
 * the context store: Node-RED's memory context does not survive a full Deploy), in a file in the user
 * directory (a restart carries it over on Node-RED's default settings, where context lives in memory),
 * and in node context (where versions before the file kept it: a mark found only there is still read).
 */
import { checkMark, type RemarkMark } from '../index';
import type { Node, NodeAPI } from './types';
import { userFile } from './userFiles';

export interface RemarkState {
	mark?: RemarkMark;
	/** "Emit the latest remark on start" has fired: it does once in the node's life, not per start. */
	latestEmitted?: boolean;
}

const states = new Map<string, RemarkState>();

export function remarkMarks(RED: NodeAPI, node: Node) {
	const file = userFile(RED, '.bilibili-remarks', node.id);
	let warned = false;
	const warnOnce = (text: string) => {
		if (!warned) node.warn(text);
		warned = true;
	};

	const fromFile = (): RemarkState | undefined => {
		const text = file?.read();
		if (text === undefined) return undefined;
		try {
			const saved = JSON.parse(text) as { mark?: unknown; latestEmitted?: unknown };
			return { mark: checkMark(saved.mark), latestEmitted: saved.latestEmitted === true };
		} catch {
			warnOnce('The saved remark mark could not be read; the node watches from now');
			return undefined;
		}
	};

	return {
		load(): RemarkState {
			const kept = states.get(node.id) ?? fromFile();
			if (kept) return kept;
			const mark = node.context().get('mark') as RemarkMark | undefined;
			return mark ? { mark } : {};
		},
		/** Saved everywhere before the poll's remarks are sent: a restart after them does not send them again. */
		save(state: RemarkState): void {
			states.set(node.id, state);
			if (state.mark) node.context().set('mark', state.mark);
			try {
				file?.write(JSON.stringify(state));
			} catch (err) {
				// The remarks are still sent; only a restart may then repeat or skip some.
				warnOnce(
					`The remark mark could not be saved in Node-RED's user directory (${(err as NodeJS.ErrnoException).code ?? 'error'}): a restart may repeat or skip remarks`,
				);
			}
		},
		/** The node was deleted: a new node with its id (an import) starts afresh. */
		remove(): void {
			states.delete(node.id);
			file?.remove();
		},
	};
}
