/**
 * The runtime the client tests send through. The sim suites run twice (jest projects in
 * jest.config.js): once on the default runtime (node:http, Node's timers), once on the n8n runtime, sending
 * through a real n8n-core ExecuteContext's httpRequestWithAuthentication with the package's credential.
 * Same tests, same expectations: the contract both runtimes keep.
 */
import type { BilibiliCredentials, Runtime } from '../../index';
import { executeContextFor } from '../../dev/n8nEngine';
import { n8nRuntime } from '../../nodes/shared/runtime';

export const RUNTIME_UNDER_TEST: 'node' | 'n8n' =
	process.env.BILIBILI_TEST_RUNTIME === 'n8n' ? 'n8n' : 'node';

/**
 * undefined: the client's default runtime. `baseUrl` is the credential's Base URL Override, as in n8n:
 * the credential sends its cookies only there or to Bilibili.
 */
export function testRuntime(
	credentials: BilibiliCredentials,
	baseUrl: string,
): Runtime | undefined {
	if (RUNTIME_UNDER_TEST === 'node') return undefined;
	const data = Object.fromEntries(
		[...Object.entries(credentials), ['baseUrl', baseUrl]]
			.filter(([, v]) => v !== undefined)
			.map(([k, v]) => [k, String(v)]),
	);
	const runtime = executeContextFor(data).then((ctx) => n8nRuntime(ctx));
	return {
		send: async (exchange) => (await runtime).send(exchange),
		sleep: async (ms, signal) => (await runtime).sleep(ms, signal),
	};
}
