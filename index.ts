/**
 * The standalone typed client, as the client package publishes it:
 * `import { BilibiliClient } from '@n8n-nodes-bilibili/client'`. Same API as the core
 * (client/index.ts), with axios and Node's timers as the default runtime.
 */
import {
	BilibiliClient as CoreClient,
	loginWithQrCode as coreLogin,
	type BilibiliClientOptions as CoreOptions,
	type LoginCookies,
	type QrLoginOptions,
} from './client';
import { createNodeRuntime, type ProxySetting } from './client/runtime/node';
import type { Runtime } from './client/transport/runtime';

export * from './client';
export {
	createNodeRuntime,
	timerSleep,
	type NodeRuntimeOptions,
	type ProxySetting,
} from './client/runtime/node';

export type BilibiliClientOptions = Omit<CoreOptions, 'runtime'> & {
	/** Default: axios with keep-alive agents and Node's timers, closed with the client. */
	runtime?: Runtime;
	/**
	 * For the default runtime: the proxy to send through. Default: HTTP_PROXY / HTTPS_PROXY / NO_PROXY
	 * from the environment; false: none.
	 */
	proxy?: ProxySetting | false;
};

export class BilibiliClient extends CoreClient {
	constructor(options: BilibiliClientOptions) {
		const given =
			options !== null &&
			typeof options === 'object' &&
			Object.prototype.hasOwnProperty.call(options, 'runtime')
				? options.runtime
				: undefined;
		const proxy = given ? undefined : options?.proxy;
		super({ ...options, runtime: given ?? createNodeRuntime({ proxy }) } as CoreOptions);
	}
}

/** QR login (client/login.ts) with the default runtime unless one is given. */
export async function loginWithQrCode(
	options: Omit<QrLoginOptions, 'runtime'> & { runtime?: Runtime; proxy?: ProxySetting | false },
): Promise<LoginCookies> {
	const given =
		options !== null &&
		typeof options === 'object' &&
		Object.prototype.hasOwnProperty.call(options, 'runtime')
			? options.runtime
			: undefined;
	const runtime = given ?? createNodeRuntime({ proxy: options?.proxy });
	try {
		return await coreLogin({ ...options, runtime });
	} finally {
		if (!given) runtime.close?.();
	}
}
