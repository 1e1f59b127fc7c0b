/**
 * The runtime outside n8n (Node-RED, scripts, the standalone client): axios with keep-alive agents,
 * multipart bodies streamed from the file, Node's timers. Not part of the n8n package, which sends
 * through n8n's own helpers instead (nodes/shared/runtime.ts).
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import axios, { type AxiosInstance } from 'axios';
import { buildMultipart } from '../transport/multipart';
import {
	AnswerTooLargeError,
	setCookieList,
	type HttpAnswer,
	type HttpExchange,
	type Runtime,
} from '../transport/runtime';

export function createNodeRuntime(): Runtime {
	const agents = {
		http: new http.Agent({ keepAlive: true }),
		https: new https.Agent({ keepAlive: true }),
	};
	const client: AxiosInstance = axios.create({
		httpAgent: agents.http,
		httpsAgent: agents.https,
		// Without redirects axios skips follow-redirects, which would buffer an upload body for replay.
		maxRedirects: 0,
		maxBodyLength: Infinity,
		responseType: 'text',
		transformResponse: [(body: unknown) => body],
		validateStatus: () => true,
	});
	return {
		async send(x: HttpExchange): Promise<HttpAnswer> {
			const headers: Record<string, string> = x.auth.cookie
				? { ...x.headers, Cookie: x.auth.cookie }
				: { ...x.headers };
			let data: unknown;
			if (x.body?.type === 'form') {
				const form = new URLSearchParams(x.body.fields);
				if (x.auth.csrf !== undefined) form.append('csrf', x.auth.csrf);
				headers['Content-Type'] = 'application/x-www-form-urlencoded';
				data = form.toString();
			} else if (x.body?.type === 'multipart') {
				const fields =
					x.auth.csrf === undefined ? x.body.fields : { ...x.body.fields, csrf: x.auth.csrf };
				const body = buildMultipart(fields, x.body.file);
				headers['Content-Type'] = body.contentType;
				headers['Content-Length'] = String(body.length);
				data = Readable.from(body.parts(), { objectMode: false });
			}
			try {
				const response = await client.request<string>({
					method: x.method,
					url: x.url,
					params: x.query,
					headers,
					data,
					// No axios timeout: the transport's deadline aborts the signal (one timer per call, not two).
					signal: x.signal,
					maxContentLength: x.maxAnswerBytes,
				});
				const type = response.headers['content-type'];
				return {
					status: response.status,
					contentType: type === undefined ? undefined : String(type),
					body: typeof response.data === 'string' ? response.data : String(response.data ?? ''),
					setCookies: setCookieList(response.headers['set-cookie']),
				};
			} catch (err) {
				const e = err as { code?: string; message?: string };
				if (/maxContentLength/.test(e.message ?? ''))
					throw new AnswerTooLargeError(x.maxAnswerBytes);
				// Only the code and message leave: an axios error carries the request headers (the cookies).
				throw Object.assign(new Error(e.message ?? 'request failed'), { code: e.code });
			}
		},
		sleep: timerSleep,
		timer(ms, fire) {
			const t = setTimeout(fire, ms);
			return () => clearTimeout(t);
		},
		close() {
			agents.http.destroy();
			agents.https.destroy();
		},
	};
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
