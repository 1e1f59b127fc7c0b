/**
 * Files these nodes keep in Node-RED's user directory, beside flows.json: the refreshed session
 * (sessionStore.ts) and anything else that must outlive a restart on Node-RED's default settings,
 * where node context lives in memory only. One folder per purpose, one file per config or flow node.
 */
import {
	closeSync,
	fsyncSync,
	mkdirSync,
	openSync,
	readFileSync,
	renameSync,
	rmSync,
	writeSync,
} from 'node:fs';
import path from 'node:path';
import type { NodeAPI } from './types';

/** A string setting of the running Node-RED, or '' (also when a test harness has no settings loaded). */
export function runtimeSetting(RED: NodeAPI, key: string): string {
	try {
		const value: unknown = RED.settings.get(key);
		if (typeof value === 'string') return value;
	} catch {
		// The runtime's own settings are not loaded (a test harness).
	}
	const value: unknown = (RED.settings as unknown as Record<string, unknown>)[key];
	return typeof value === 'string' ? value : '';
}

export interface UserFile {
	/** The file's text, or undefined when there is none (or it cannot be read). */
	read(): string | undefined;
	/**
	 * Written whole (a temporary file, synced, then renamed), readable by the owner only: a power cut
	 * leaves the old text or the new, never an empty or half-written file.
	 */
	write(text: string): void;
	remove(): void;
}

/** `<userDir>/<folder>/<id>.json`; null when Node-RED has no user directory to keep it in. */
export function userFile(RED: NodeAPI, folder: string, id: string): UserFile | null {
	const userDir = runtimeSetting(RED, 'userDir');
	if (!userDir) return null;
	const dir = path.join(userDir, folder);
	const file = path.join(dir, `${id.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
	return {
		read() {
			try {
				return readFileSync(file, 'utf8');
			} catch {
				return undefined;
			}
		},
		write(text) {
			mkdirSync(dir, { recursive: true, mode: 0o700 });
			const temporary = `${file}.${process.pid}.tmp`;
			const fd = openSync(temporary, 'w', 0o600);
			try {
				writeSync(fd, text);
				fsyncSync(fd);
			} finally {
				closeSync(fd);
			}
			renameSync(temporary, file);
			try {
				const dirFd = openSync(dir, 'r');
				fsyncSync(dirFd);
				closeSync(dirFd);
			} catch {
				// Not every file system lets a directory be synced.
			}
		},
		remove() {
			rmSync(file, { force: true });
		},
	};
}
