/**
 * The runtime outside n8n (Node-RED, scripts, the standalone client): Node's own http and https with
 * keep-alive agents, multipart bodies streamed from the file, Node's timers. Not part of the n8n
 * package, which sends through n8n's own helpers instead (nodes/shared/runtime.ts).
 *
 * Plain node:http rather than an HTTP library: the client needs one request and one complete answer,
 * and a general-purpose library's per-call option merging cost more than the rest of the client
 * (issue 21's profile of the Node-RED side by side).
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { buildMultipart } from '../transport/multipart';
import {
	AnswerTooLargeError,
	setCookieList,
	type HttpAnswer,
	type HttpExchange,
	type Runtime,
} from '../transport/runtime';

export function createNodeRuntime(): Runtime {
	// proxyEnv: Node's built-in HTTP(S)_PROXY / NO_PROXY support where Node has it (22.21+, 24.5+);
	// older Node ignores the option and connects directly.
	const options = { keepAlive: true, proxyEnv: process.env } as http.AgentOptions;
	const agents: Record<string, http.Agent> = {
		'http:': new http.Agent(options),
		'https:': new https.Agent(options),
	};
	return {
		send: (x) => send(x, agents),
		sleep: timerSleep,
		timer(ms, fire) {
			const t = setTimeout(fire, ms);
			return () => clearTimeout(t);
		},
		close() {
			agents['http:'].destroy();
			agents['https:'].destroy();
		},
	};
}

function send(x: HttpExchange, agents: Record<string, http.Agent>): Promise<HttpAnswer> {
	return new Promise((resolve, reject) => {
		let settled = false;
		let request: http.ClientRequest | undefined;
		const onAbort = () => {
			const err = coded('the request was cancelled', 'ERR_CANCELED');
			fail(err);
			request?.destroy(err);
		};
		const done = () => {
			settled = true;
			x.signal.removeEventListener('abort', onAbort);
		};
		// Only the code and message leave: nothing of the request (its Cookie header) rides along.
		const fail = (err: unknown) => {
			if (settled) return;
			done();
			const e = err as { code?: string; message?: string };
			reject(
				err instanceof AnswerTooLargeError ? err : coded(e?.message ?? 'request failed', e?.code),
			);
		};
		if (x.signal.aborted) return onAbort();

		let url: URL;
		try {
			url = new URL(x.url);
			if (!agents[url.protocol])
				throw coded(`unsupported protocol ${url.protocol}`, 'ERR_INVALID_URL');
		} catch (err) {
			return fail(err);
		}
		if (x.query)
			for (const [k, v] of Object.entries(x.query)) url.searchParams.append(k, String(v));

		// What axios sent before: Bilibili compresses for clients that accept it, and so do browsers.
		const headers: Record<string, string> = {
			...x.headers,
			'Accept-Encoding': 'gzip, deflate, br',
		};
		if (x.auth.cookie) headers.Cookie = x.auth.cookie;
		let payload: string | undefined;
		let upload: Readable | undefined;
		if (x.body?.type === 'form') {
			const form = new URLSearchParams(x.body.fields);
			if (x.auth.csrf !== undefined) form.append('csrf', x.auth.csrf);
			payload = form.toString();
			headers['Content-Type'] = 'application/x-www-form-urlencoded';
			headers['Content-Length'] = String(Buffer.byteLength(payload));
		} else if (x.body?.type === 'multipart') {
			const fields =
				x.auth.csrf === undefined ? x.body.fields : { ...x.body.fields, csrf: x.auth.csrf };
			const body = buildMultipart(fields, x.body.file);
			headers['Content-Type'] = body.contentType;
			headers['Content-Length'] = String(body.length);
			upload = Readable.from(body.parts(), { objectMode: false });
		}

		x.signal.addEventListener('abort', onAbort, { once: true });
		const transport = url.protocol === 'https:' ? https : http;
		try {
			request = transport.request(url, { method: x.method, headers, agent: agents[url.protocol] });
		} catch (err) {
			// Header values Node refuses (the transport refuses CR/LF/NUL before this already).
			upload?.destroy();
			return fail(err);
		}
		const req = request;
		req.on('error', fail);
		req.on('response', (res) => readAnswer(res, x.maxAnswerBytes, req, done, resolve, fail));
		if (upload) {
			// Destroying the source on any failure returns the file's iterator: the file is closed.
			pipeline(upload, req, (err) => err && fail(err));
		} else {
			req.end(payload);
		}
	});
}

/** Reads the whole answer, or fails: a partial answer is never handed back as if it were complete. */
function readAnswer(
	res: IncomingMessage,
	limit: number,
	req: http.ClientRequest,
	done: () => void,
	resolve: (answer: HttpAnswer) => void,
	fail: (err: unknown) => void,
): void {
	const tooLarge = () => {
		fail(new AnswerTooLargeError(limit));
		req.destroy();
	};
	if (Number(res.headers['content-length']) > limit) return tooLarge();
	const stream = decoded(res);
	const chunks: Buffer[] = [];
	let size = 0;
	stream.on('data', (chunk: Buffer) => {
		size += chunk.length;
		if (size > limit) return tooLarge();
		chunks.push(chunk);
	});
	stream.on('error', fail);
	stream.on('end', () => {
		if (!res.complete) return fail(coded('the answer ended early', 'ECONNRESET'));
		const whole = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
		let body = whole.toString('utf8');
		if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
		done();
		const type = res.headers['content-type'];
		resolve({
			status: res.statusCode ?? 0,
			contentType: type,
			body,
			setCookies: setCookieList(res.headers['set-cookie']),
		});
	});
	// A connection cut before the end: 'end' never comes, 'close' does.
	res.on('close', () => {
		if (!res.complete)
			fail(coded('the connection was closed before the answer ended', 'ECONNRESET'));
	});
}

/** The answer's bytes as sent before any content coding (gzip, deflate, br). */
function decoded(res: IncomingMessage): NodeJS.ReadableStream {
	const coding = String(res.headers['content-encoding'] ?? '')
		.trim()
		.toLowerCase();
	const inflate =
		coding === 'gzip' || coding === 'x-gzip'
			? zlib.createGunzip()
			: coding === 'deflate'
				? zlib.createInflate()
				: coding === 'br'
					? zlib.createBrotliDecompress()
					: undefined;
	if (!inflate || res.statusCode === 204 || res.statusCode === 304) return res;
	res.on('error', (err) => inflate.destroy(err));
	return res.pipe(inflate);
}

function coded(message: string, code: string | undefined): Error {
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
