/**
 * The runtime outside n8n (Node-RED, scripts, the standalone client): one axios instance per runtime
 * (one per account) with keep-alive agents, proxies from the environment or the caller, multipart
 * bodies streamed from the file, Node's timers. Not part of the n8n package, which sends through n8n's
 * own helpers instead (nodes/shared/runtime.ts).
 */
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { AxiosInstance } from 'axios';
import { buildMultipart } from '../transport/multipart';
import { BROWSER_USER_AGENT } from '../transport/hosts';
import {
	AnswerTooLargeError,
	setCookieList,
	type HttpAnswer,
	type HttpExchange,
	type Runtime,
} from '../transport/runtime';
import { decodeAnswer } from './decode';
import { Proxies, type ProxySetting } from './proxy';

export type { ProxySetting } from './proxy';

export interface NodeRuntimeOptions {
	/**
	 * The proxy to send through. Default: HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case) from the
	 * environment; false: none.
	 */
	proxy?: ProxySetting | false;
	/** Certificate authorities to trust besides Node's own (a TLS-inspecting proxy's, for instance). */
	ca?: string | Buffer | Array<string | Buffer>;
}

export function createNodeRuntime(options: NodeRuntimeOptions = {}): Runtime {
	const proxies = new Proxies(options.proxy, options.ca);
	let client: AxiosInstance | undefined;
	let loading: Promise<AxiosInstance> | undefined;
	// axios loads with the first request, not with the nodes: Node-RED starts without its import cost.
	const instance = () => (loading ??= createInstance().then((made) => (client = made)));
	return {
		send: async (x) => send(client ?? (await instance()), proxies, x),
		sleep: timerSleep,
		timer(ms, fire) {
			const t = setTimeout(fire, ms);
			return () => clearTimeout(t);
		},
		close: () => proxies.close(),
	};
}

async function createInstance(): Promise<AxiosInstance> {
	const { default: axios } = await import('axios');
	// Everything that does not change per request is set once here: axios merges a call's config with
	// these defaults, and the fewer keys a call brings, the less it merges.
	return axios.create({
		// The agents choose the route (direct or a proxy), so axios's own proxy handling stays out.
		proxy: false,
		adapter: 'http',
		// Without redirects axios skips follow-redirects, which would buffer an upload body for replay.
		maxRedirects: 0,
		maxBodyLength: Infinity,
		// The body is decoded here (decode.ts), so the limit counts decoded bytes and an empty answer
		// labelled gzip keeps its status.
		decompress: false,
		responseType: 'arraybuffer',
		transformRequest: [(data: unknown) => data],
		transformResponse: [(data: unknown) => data],
		validateStatus: () => true,
	});
}

async function send(client: AxiosInstance, proxies: Proxies, x: HttpExchange): Promise<HttpAnswer> {
	let url = x.url;
	if (x.query) {
		const query = new URLSearchParams();
		for (const [k, v] of Object.entries(x.query)) query.append(k, String(v));
		const text = query.toString();
		if (text) url += (url.includes('?') ? '&' : '?') + text;
	}
	const headers: Record<string, string> = {
		'User-Agent': BROWSER_USER_AGENT,
		...x.headers,
		'Accept-Encoding': 'gzip, deflate, br',
	};
	if (x.auth.cookie) headers.Cookie = x.auth.cookie;
	let data: string | Readable | undefined;
	let upload: Readable | undefined;
	if (x.body?.type === 'form') {
		const form = new URLSearchParams(x.body.fields);
		if (x.auth.csrf !== undefined) form.append('csrf', x.auth.csrf);
		data = form.toString();
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
	} else if (x.body?.type === 'multipart') {
		const fields =
			x.auth.csrf === undefined ? x.body.fields : { ...x.body.fields, csrf: x.auth.csrf };
		const body = buildMultipart(fields, x.body.file);
		headers['Content-Type'] = body.contentType;
		headers['Content-Length'] = String(body.length);
		upload = data = Readable.from(body.parts(), { objectMode: false });
	}

	let route;
	try {
		if (!/^https?:\/\//i.test(url))
			throw coded('only http and https URLs are sent', 'ERR_INVALID_URL');
		route = proxies.known(url) ?? (await proxies.route(url));
	} catch (err) {
		upload?.destroy();
		throw err;
	}
	// What the request met on its way that axios cannot tell apart from an answer: a proxy's refusal,
	// an announced answer over the limit.
	let failure: Error | undefined;
	let request: ClientRequest | undefined;
	const limit = x.maxAnswerBytes;
	const transport = {
		request(options: https.RequestOptions, handle: (res: IncomingMessage) => void) {
			options.agent = route.agent;
			if (route.ca) options.ca = route.ca;
			const req = (route.secure ? https : http).request(options, (res) => {
				const refused = route.proxied && refusedBy(req, res, route.secure);
				if (refused) {
					failure = coded(
						`the proxy refused the connection (HTTP ${refused}); nothing was sent`,
						'ERR_PROXY_REFUSED',
					);
				} else if (Number(res.headers['content-length']) > limit) {
					failure = new AnswerTooLargeError(limit);
				}
				if (failure) {
					res.resume();
					req.destroy(failure);
					return;
				}
				handle(res);
			});
			if (route.secure && route.proxied)
				req.once('proxyConnect', (connect: { statusCode?: number }) => {
					(req as TunnelledRequest)[TUNNEL_STATUS] = connect.statusCode;
				});
			request = req;
			return req;
		},
	};
	try {
		const response = await client.request<ArrayBuffer>({
			method: x.method,
			url,
			headers,
			data,
			// No axios timeout: the transport's deadline aborts the signal (one timer per call, not two).
			signal: x.signal,
			maxContentLength: limit,
			transport,
		} as Parameters<AxiosInstance['request']>[0]);
		const type = response.headers['content-type'];
		return {
			status: response.status,
			contentType: type === undefined ? undefined : String(type),
			body: decodeAnswer(
				// axios hands a Buffer over for 'arraybuffer' in Node: read as it is, not copied.
				Buffer.isBuffer(response.data) ? response.data : Buffer.from(response.data),
				response.headers['content-encoding'] as string | undefined,
				limit,
			),
			setCookies: setCookieList(response.headers['set-cookie']),
		};
	} catch (err) {
		throw rebuilt(failure ?? err, limit, route.proxied);
	} finally {
		// An answer that came before the upload ended (a refusal, an error page): the rest of the file
		// is not sent, the file is closed, and the half-written request is not kept for another call.
		if (upload && !upload.readableEnded) {
			upload.destroy();
			request?.destroy();
		}
	}
}

const TUNNEL_STATUS = Symbol('tunnel status');
type TunnelledRequest = ClientRequest & { [TUNNEL_STATUS]?: number };

/**
 * The status of a proxy that refused to carry the request, or 0. Through a CONNECT tunnel the proxy's
 * own answer is handed on as if it were the server's (https-proxy-agent), so it is recognised here. A
 * plain forward proxy answers 407 when it wants credentials, which no origin server sends, or 403 with
 * its own page when it denies the address; a 403 carrying JSON is the server's, passed on.
 */
function refusedBy(req: ClientRequest, res: IncomingMessage, secure: boolean): number {
	if (secure) {
		const status = (req as TunnelledRequest)[TUNNEL_STATUS];
		return status !== undefined && status !== 200 ? status : 0;
	}
	if (res.statusCode === 407) return 407;
	const json = /json/i.test(String(res.headers['content-type'] ?? ''));
	return res.statusCode === 403 && !json ? 403 : 0;
}

/**
 * The error as the client may show it: code and a message, never the request (an axios error carries
 * its headers: the cookies, csrf and the proxy's credentials).
 */
function rebuilt(err: unknown, limit: number, proxied: boolean): Error {
	const e = err as { code?: string; message?: string };
	if (err instanceof AnswerTooLargeError) return err;
	if (/maxContentLength/.test(e?.message ?? '')) return new AnswerTooLargeError(limit);
	const code = e?.code;
	if (
		code === 'ERR_PROXY_REFUSED' ||
		code === 'ERR_PROXY_INVALID' ||
		code === 'ERR_ANSWER_DECODING'
	)
		return coded(e.message ?? code, code);
	if (code === 'ERR_CANCELED') return coded('the request was cancelled', code);
	if (code === 'ERR_BAD_RESPONSE' && /aborted/.test(e.message ?? ''))
		return coded('the connection was closed before the answer ended', 'ECONNRESET');
	// A socket error names the address it tried: through a proxy, that is the proxy's.
	if (proxied) return coded(`through the proxy: ${code ?? 'the request failed'}`, code);
	return coded(e?.message ?? 'request failed', code);
}

export function coded(message: string, code: string | undefined): Error {
	return Object.assign(new Error(message), { code });
}

/** A sleep that leaves no timer behind when its signal aborts. */
export function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(new Error('aborted'));
		const onAbort = () => {
			clearTimeout(timer);
			reject(new Error('aborted'));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
