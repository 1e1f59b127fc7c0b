/**
 * The client behind a proxy (client/runtime/proxy.ts), against a local proxy (test/helpers/proxy.ts):
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY in either case, HTTPS through a CONNECT tunnel, a proxy named by
 * the caller, and what a refusing or unreachable proxy means for a charge: nothing was sent. No
 * message names the proxy or its password.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
	BilibiliApiError,
	BilibiliClient,
	BilibiliOutcomeUnknownError,
	BilibiliValidationError,
	createNodeRuntime,
} from '../../index';
import type { HttpExchange, Runtime } from '../../client/transport/runtime';
import { startHttpsServer, startProxy, type TestProxy } from '../helpers/proxy';
import { simClient, useSimulator } from '../helpers/sim';

const ENV = [
	'HTTP_PROXY',
	'HTTPS_PROXY',
	'NO_PROXY',
	'http_proxy',
	'https_proxy',
	'no_proxy',
	'ALL_PROXY',
	'all_proxy',
	'NODE_TLS_REJECT_UNAUTHORIZED',
];
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
const cleanUp: Array<() => unknown> = [];
const ctx = useSimulator();

beforeEach(() => {
	for (const k of ENV) delete process.env[k];
});
afterEach(async () => {
	for (const f of cleanUp.splice(0).reverse()) await f();
	for (const [k, v] of Object.entries(saved))
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
});

async function proxy(options?: Parameters<typeof startProxy>[0]): Promise<TestProxy> {
	const p = await startProxy(options);
	cleanUp.push(() => p.close());
	return p;
}

async function serve(handler: http.RequestListener): Promise<string> {
	const server = http.createServer(handler);
	cleanUp.push(() => {
		server.closeAllConnections();
		return new Promise((r) => server.close(r));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function tlsServer(): Promise<{ url: string; ca: Buffer; cookies: string[] }> {
	const cookies: string[] = [];
	const s = await startHttpsServer((req, res) => {
		cookies.push(String(req.headers.cookie));
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end('{"code":0}');
	});
	cleanUp.push(() => s.close());
	return { url: s.url, ca: s.ca, cookies };
}

function runtime(options?: Parameters<typeof createNodeRuntime>[0]): Runtime {
	const r = createNodeRuntime(options);
	cleanUp.push(() => r.close?.());
	return r;
}

const COOKIE = 'SESSDATA=secret-sessdata-value';
function exchange(url: string): HttpExchange {
	return {
		method: 'GET',
		url,
		headers: {},
		auth: { cookie: COOKIE },
		signal: new AbortController().signal,
		timeoutMs: 5000,
		maxAnswerBytes: 1024 * 1024,
	};
}

function everything(err: Error): string {
	return [err.message, err.stack, inspect(err, { showHidden: true, depth: 10 })].join('\n');
}

describe('proxies from the environment', () => {
	it.each(['HTTP_PROXY', 'http_proxy'])(
		'%s carries plain HTTP; NO_PROXY sends it direct',
		async (name) => {
			const target = await serve((_req, res) => res.end('{"code":0}'));
			const p = await proxy();
			process.env[name] = p.url;
			expect((await runtime().send(exchange(`${target}/x/a`))).body).toBe('{"code":0}');
			expect(p.seen).toEqual([`GET ${target}/x/a`]);
			process.env[name === 'HTTP_PROXY' ? 'NO_PROXY' : 'no_proxy'] = '127.0.0.1';
			expect((await runtime().send(exchange(`${target}/x/b`))).body).toBe('{"code":0}');
			expect(p.seen).toHaveLength(1);
		},
	);

	it.each(['HTTPS_PROXY', 'https_proxy'])(
		'%s carries HTTPS through a CONNECT tunnel, with a browser User-Agent',
		async (name) => {
			const target = await tlsServer();
			const p = await proxy();
			process.env[name] = p.url;
			const r = runtime({ ca: target.ca });
			for (const path of ['/a', '/b'])
				expect((await r.send(exchange(target.url + path))).body).toBe('{"code":0}');
			// One tunnel, kept alive for the second request; the proxy never sees inside it.
			expect(p.seen).toEqual([`CONNECT ${new URL(target.url).host}`]);
			expect(target.cookies).toEqual([COOKIE, COOKIE]);
		},
	);
});

describe('a proxy that does not carry the request', () => {
	it.each([
		['asks for credentials (407)', { credentials: 'user:right' }],
		['refuses the tunnel (403)', { refuseTunnels: true }],
	])(
		'through a tunnel, %s: a not-sent error naming neither the proxy nor its password',
		async (_n, options) => {
			const target = await tlsServer();
			const p = await proxy(options);
			const url = `http://user:wrong-password@${new URL(p.url).host}`;
			const err = await runtime({ proxy: { url }, ca: target.ca })
				.send(exchange(`${target.url}/x`))
				.catch((e) => e);
			expect(err.code).toBe('ERR_PROXY_REFUSED');
			expect(target.cookies).toEqual([]);
			for (const secret of ['wrong-password', new URL(p.url).port, 'secret-sessdata'])
				expect(everything(err)).not.toContain(secret);
		},
	);

	it('forwarding plain HTTP, asks for credentials: refused; with them in the URL, carried', async () => {
		const target = await serve((_req, res) => res.end('{"code":0}'));
		const p = await proxy({ credentials: 'user:pa ss@word' });
		const host = new URL(p.url).host;
		const err = await runtime({ proxy: { url: `http://${host}` } })
			.send(exchange(`${target}/x`))
			.catch((e) => e);
		expect(err.code).toBe('ERR_PROXY_REFUSED');
		const answer = await runtime({
			proxy: { url: `http://${host}`, username: 'user', password: 'pa ss@word' },
		}).send(exchange(`${target}/x`));
		expect(answer.body).toBe('{"code":0}');
	});

	it('forwarding plain HTTP, refused by policy (403 page): not sent; a server 403 in JSON passes', async () => {
		let reached = 0;
		const target = await serve((_req, res) => {
			reached++;
			res.writeHead(403, { 'Content-Type': 'application/json' });
			res.end('{"code":-403}');
		});
		const refusing = await proxy({ refuseForwarding: true });
		const err = await runtime({ proxy: { url: refusing.url } })
			.send(exchange(`${target}/x`))
			.catch((e) => e);
		expect(err.code).toBe('ERR_PROXY_REFUSED');
		expect(reached).toBe(0);
		const carrying = await proxy();
		const answer = await runtime({ proxy: { url: carrying.url } }).send(exchange(`${target}/x`));
		expect(answer).toMatchObject({ status: 403, body: '{"code":-403}' });
		expect(reached).toBe(1);
	});

	it('an unreachable proxy: the connection was refused, the message does not name it', async () => {
		const closed = await proxy();
		await closed.close();
		const err = await runtime({
			proxy: { url: `http://user:pw-secret@${new URL(closed.url).host}` },
		})
			.send(exchange('https://127.0.0.1:9/x'))
			.catch((e) => e);
		expect(err.code).toBe('ECONNREFUSED');
		expect(everything(err)).not.toContain(new URL(closed.url).port);
		expect(everything(err)).not.toContain('pw-secret');
	});

	it('a proxy address that is not a URL is refused when the client is built, without echoing it', () => {
		let err: unknown;
		try {
			new BilibiliClient({
				credentials: { SESSDATA: 'abcd' },
				proxy: { url: 'http://user:pw-secret@[bad' },
			});
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(BilibiliValidationError);
		expect(everything(err as Error)).not.toContain('pw-secret');
	});

	it.each([
		['asks for credentials (407)', { credentials: 'user:right' }],
		['refuses by policy (403)', { refuseForwarding: true }],
	])(
		'a charge the proxy %s is reported as not sent, and is charged once when sent again',
		async (_n, options) => {
			const p = await proxy(options);
			const before = ctx.sim.state.balance;
			const behind = simClient(ctx, { runtime: undefined, proxy: { url: p.url } });
			const err = await behind.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 }).catch((e) => e);
			expect(err).toBeInstanceOf(BilibiliApiError);
			expect(err).not.toBeInstanceOf(BilibiliOutcomeUnknownError);
			expect(err).toMatchObject({ code: 'NETWORK', notSent: true });
			expect(err.message).toMatch(/proxy refused/);
			expect(ctx.sim.state.balance).toBe(before);
			await simClient(ctx, { runtime: undefined, proxy: false }).charge.chargeWithBcoin({
				up_mid: 1,
				bp_num: 2,
			});
			expect(ctx.sim.state.balance).toBe(before - 2);
		},
	);
});
