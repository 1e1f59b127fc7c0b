/** Helpers for running the example flows on a real Node-RED: used by the demo and the end-to-end test. */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { PACKAGE_ROOT } from './packageRoot';

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
		for (const node of JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'examples', file), 'utf8')) as Flow) {
			if (!flows.some((n) => n.id === node.id)) flows.push(node);
		}
	}
	return flows;
}

/** What a user fills in after importing: the account (cookies, base URL) and whom to charge. */
export function configureExamples(flows: Flow, account: { baseUrl: string; SESSDATA: string; bili_jct?: string; DedeUserID?: string }): Flow {
	for (const node of flows) {
		if (node.type === 'bilibili-config') {
			Object.assign(node, { baseUrl: account.baseUrl, DedeUserID: account.DedeUserID ?? '', credentials: { SESSDATA: account.SESSDATA, bili_jct: account.bili_jct ?? '' } });
		}
		if (node.type === 'bilibili-charge' || node.type === 'bilibili-qrpay') node.up_mid = account.DedeUserID;
	}
	return flows;
}
