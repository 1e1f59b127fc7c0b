/**
 * Where an account's refreshed session waits for the next Deploy. Node-RED saves credentials only when
 * flows are deployed (RED.nodes.addCredentials just marks them changed), yet a refresh kills the old
 * cookies at once: without this file a restart before the next Deploy would start on a dead session.
 *
 * One file per account config node in `<userDir>/.bilibili-sessions/`, AES-256-GCM with a key derived
 * from Node-RED's own credential secret and the node's id, so it is as well protected as
 * flows_cred.json (and, like it, readable by anyone who has the secret). With credential encryption
 * off, or in projects mode (whose secret these nodes cannot read), the file is only obfuscated.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { RefreshedSession } from '../index';
import type { NodeAPI } from './types';
import { runtimeSetting, userFile } from './userFiles';

export interface StoredSession {
	session: RefreshedSession;
	/** One-way fingerprints of the logins this one replaced: the stored credentials it stands in for. */
	replaces: string[];
	/** When Bilibili's refresh made it (ISO time). */
	refreshedAt: string;
}

export interface SessionStore {
	/** The stored session, or undefined when there is none or it cannot be read (another secret). */
	load(): StoredSession | undefined;
	/** Written whole (a temporary file, then renamed), readable by the owner only. */
	save(stored: StoredSession): void;
	remove(): void;
}

/** A login named without its value: what `replaces` holds. */
export function fingerprint(SESSDATA: string): string {
	return createHash('sha256').update(`bilibili-session|${SESSDATA}`).digest('hex').slice(0, 32);
}

/** null when Node-RED has no user directory to keep the file in. */
export function sessionStore(RED: NodeAPI, nodeId: string): SessionStore | null {
	const file = userFile(RED, '.bilibili-sessions', nodeId);
	if (!file) return null;
	const keyOf = (secret: string) =>
		createHash('sha256').update(`${secret}|bilibili-session|${nodeId}`).digest();
	const explicit = runtimeSetting(RED, 'credentialSecret');
	const generated = runtimeSetting(RED, '_credentialSecret');
	const key = keyOf(explicit || generated);
	// A file written before the user set credentialSecret (Node-RED then re-encrypts its own file).
	const readKeys = [...new Set([explicit || generated, generated, ''])].map(keyOf);

	return {
		load() {
			let box: Record<string, string>;
			try {
				box = JSON.parse(file.read() ?? '') as Record<string, string>;
			} catch {
				return undefined;
			}
			for (const readKey of readKeys) {
				try {
					const decipher = createDecipheriv('aes-256-gcm', readKey, Buffer.from(box.iv, 'base64'));
					decipher.setAuthTag(Buffer.from(box.tag, 'base64'));
					const text = Buffer.concat([
						decipher.update(Buffer.from(box.data, 'base64')),
						decipher.final(),
					]).toString('utf8');
					return JSON.parse(text) as StoredSession;
				} catch {
					// Another key, or not ours: try the next.
				}
			}
			return undefined;
		},
		save(stored) {
			const iv = randomBytes(12);
			const cipher = createCipheriv('aes-256-gcm', key, iv);
			const data = Buffer.concat([cipher.update(JSON.stringify(stored), 'utf8'), cipher.final()]);
			const box = {
				v: 1,
				iv: iv.toString('base64'),
				tag: cipher.getAuthTag().toString('base64'),
				data: data.toString('base64'),
			};
			// On disk before the old session is confirmed away: a power cut must not leave an empty file.
			file.write(JSON.stringify(box));
		},
		remove() {
			file.remove();
		},
	};
}
