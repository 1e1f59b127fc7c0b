/** Helpers for running the example flows on a real Node-RED: used by the demo and the end-to-end test. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { NODE_RED_PACKAGE_DIR, PACKAGE_ROOT } from './packageRoot';

export type Flow = Array<Record<string, unknown>>;

/** A free loopback port: `preferred` if it is free, else any. */
export async function freePort(preferred = 0): Promise<number> {
	const tryPort = (port: number) =>
		new Promise<number>((resolve, reject) => {
			const server = createServer().once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				const { port: got } = server.address() as AddressInfo;
				server.close(() => resolve(got));
			});
		});
	return tryPort(preferred).catch(() => tryPort(0));
}

/** Example flows from examples/, merged for one deploy: their shared account config node is kept once. */
export function exampleFlows(files: string[]): Flow {
	const flows: Flow = [];
	for (const file of files) {
		for (const node of JSON.parse(
			readFileSync(path.join(PACKAGE_ROOT, 'examples', file), 'utf8'),
		) as Flow) {
			if (!flows.some((n) => n.id === node.id)) flows.push(node);
		}
	}
	return flows;
}

/** What a user fills in after importing: the account (cookies, base URL) and whom to charge. */
export function configureExamples(
	flows: Flow,
	account: { baseUrl: string; SESSDATA: string; bili_jct?: string; DedeUserID?: string },
): Flow {
	for (const node of flows) {
		if (node.type === 'bilibili-config') {
			Object.assign(node, {
				baseUrl: account.baseUrl,
				DedeUserID: account.DedeUserID ?? '',
				credentials: { SESSDATA: account.SESSDATA, bili_jct: account.bili_jct ?? '' },
			});
		}
		if (node.type === 'bilibili-charge' || node.type === 'bilibili-qrpay')
			node.up_mid = account.DedeUserID;
	}
	return flows;
}

/**
 * Puts the assembled Node-RED package (build/node-red-bilibili) into a user directory's node_modules
 * as a link, where an install would put it.
 */
export function linkNodeRedPackage(userDir: string): void {
	mkdirSync(path.join(userDir, 'node_modules', '@n8n-nodes-bilibili'), { recursive: true });
	symlinkSync(
		NODE_RED_PACKAGE_DIR,
		path.join(userDir, 'node_modules', '@n8n-nodes-bilibili', 'node-red-bilibili'),
		'dir',
	);
}

/** Starts Node-RED (`red.js` of the given version) on a user directory whose settings.js is written. */
export function spawnNodeRed(
	userDir: string,
	redJs = require.resolve('node-red/red.js'),
	stdio: 'inherit' | 'ignore' = 'inherit',
): ChildProcess {
	return spawn(
		process.execPath,
		[redJs, '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')],
		{ stdio: ['ignore', 'ignore', stdio] },
	);
}

/** Stops a Node-RED process as Ctrl-C does, and waits until it has exited. */
export async function stopNodeRed(red: ChildProcess | undefined): Promise<void> {
	if (!red || red.exitCode !== null || red.signalCode !== null) return;
	const exited = new Promise((r) => red.once('exit', r));
	red.kill('SIGINT');
	await exited;
}
