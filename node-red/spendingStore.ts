/**
 * Where an account's 24-hour spending waits for a restart: `<userDir>/.bilibili-spending/<id>.json`,
 * one file per account config node, written before each charge is sent and after a refusal gives
 * its B-coins back. It holds when and how many B-coins, never a cookie.
 */
import type { SpendingRecord, SpendingStore } from '../index';
import type { NodeAPI } from './types';
import { userFile } from './userFiles';

/** undefined when Node-RED has no user directory to keep the file in. */
export function spendingStore(RED: NodeAPI, configNodeId: string): SpendingStore | undefined {
	const file = userFile(RED, '.bilibili-spending', configNodeId);
	if (!file) return undefined;
	return {
		load() {
			const text = file.read();
			if (text === undefined) return [];
			const saved = JSON.parse(text) as { charges?: SpendingRecord[] };
			return Array.isArray(saved.charges) ? saved.charges : [];
		},
		save(charges) {
			file.write(JSON.stringify({ v: 1, charges }));
		},
	};
}
