/**
 * The standalone typed client, as the Node-RED package publishes it:
 * `import { BilibiliClient } from '@n8n-nodes-bilibili/node-red-bilibili'`. Same API as the core
 * (client/index.ts), with Node's own http/https and timers as the default runtime (client/runtime/node.ts).
 */
import {
	BilibiliClient as CoreClient,
	loginWithQrCode as coreLogin,
	type BilibiliClientOptions as CoreOptions,
	type LoginCookies,
	type QrLoginOptions,
} from './client';
import { createNodeRuntime } from './client/runtime/node';
import type { Runtime } from './client/transport/runtime';

export * from './client';
export { createNodeRuntime, timerSleep } from './client/runtime/node';

export type BilibiliClientOptions = Omit<CoreOptions, 'runtime'> & {
	/** Default: Node's http/https with keep-alive sockets and Node's timers, closed with the client. */
	runtime?: Runtime;
};

export class BilibiliClient extends CoreClient {
	constructor(options: BilibiliClientOptions) {
		const given =
			options !== null &&
			typeof options === 'object' &&
			Object.prototype.hasOwnProperty.call(options, 'runtime')
				? options.runtime
				: undefined;
		super({ ...options, runtime: given ?? createNodeRuntime() } as CoreOptions);
	}
}

/** QR login (client/login.ts) with the default runtime unless one is given. */
export async function loginWithQrCode(
	options: Omit<QrLoginOptions, 'runtime'> & { runtime?: Runtime },
): Promise<LoginCookies> {
	const given =
		options !== null &&
		typeof options === 'object' &&
		Object.prototype.hasOwnProperty.call(options, 'runtime')
			? options.runtime
			: undefined;
	const runtime = given ?? createNodeRuntime();
	try {
		return await coreLogin({ ...options, runtime });
	} finally {
		if (!given) runtime.close?.();
	}
}
