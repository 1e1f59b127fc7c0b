/**
 * The client's runtime inside n8n: every request goes through n8n's `httpRequestWithAuthentication`
 * (so n8n's proxy settings, TLS options and request logging apply, and the credential's `authenticate`
 * adds the cookies and csrf), and waits use n8n-workflow's sleep.
 */
import {
	sleep,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type IPollFunctions,
	type ITriggerFunctions,
} from 'n8n-workflow';
import {
	buildMultipart,
	multipartBuffer,
	REFUSED_BY_HOST,
	setCookieList,
	type HttpAnswer,
	type HttpExchange,
	type Runtime,
} from '../../client';
import { renewalWorkDue } from './sessionRenewal';

export const CREDENTIAL_NAME = 'bilibiliApi';

type Context = IExecuteFunctions | IPollFunctions | ITriggerFunctions;

export interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

/** What a Node.js Readable (n8n's `getBinaryStream`) offers, without importing node:stream. */
interface ComposableStream {
	destroyed: boolean;
	destroy(): void;
	compose(through: (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Buffer>): {
		destroyed: boolean;
		on(event: 'error', listener: (err: unknown) => void): unknown;
		destroy(): void;
	};
}

export function n8nRuntime(ctx: Context): Runtime {
	// n8n gives an execution's requests its cancel signal; this one is linked to it.
	const withSignal = (signal: AbortSignal) =>
		'getExecutionCancelSignal' in ctx
			? Object.create(ctx, { getExecutionCancelSignal: { value: () => signal } })
			: ctx;
	return {
		async beforeWrite(origin: string, signal: AbortSignal): Promise<void> {
			// A cheap read through n8n's authenticated path, so n8n runs the credential's hook now
			// (twice at most: a renewal stored by the first makes the confirm due on the next).
			for (let i = 0; i < 2; i++) {
				if (!(await renewalWorkDue(await ctx.getCredentials(CREDENTIAL_NAME)))) return;
				await ctx.helpers.httpRequestWithAuthentication
					.call(withSignal(signal), CREDENTIAL_NAME, {
						method: 'GET',
						url: `${origin}/x/web-interface/nav`,
						encoding: 'text',
						json: false,
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
						disableFollowRedirect: true,
						abortSignal: signal,
					})
					.catch(() => undefined);
				if (signal.aborted) return;
			}
		},

		async send(x: HttpExchange): Promise<HttpAnswer> {
			let upload: Array<{ destroyed?: boolean; destroy?(): void }> | undefined;
			let streamError: unknown;
			// The credential's authenticate writes the Cookie header; it keeps a fetched buvid3/buvid4 given here.
			const headers: Record<string, string> = x.auth.device
				? { ...x.headers, Cookie: x.auth.device }
				: { ...x.headers };
			const options = requestOptions(x, headers);
			if (x.body?.type === 'form') {
				// A plain object: the credential's authenticate adds csrf to it.
				headers['Content-Type'] = 'application/x-www-form-urlencoded';
				options.body = { ...x.body.fields };
			} else if (x.body?.type === 'multipart') {
				// A built body cannot be amended by authenticate, so csrf goes in here: the bili_jct of the
				// credential as n8n resolves it now, the one of the cookies authenticate sends (a renewal
				// since this client was made changed both).
				const stored = (await ctx.getCredentials(CREDENTIAL_NAME)).bili_jct;
				const csrf =
					typeof stored === 'string' && stored.trim() ? stored.trim() : (x.auth.csrf ?? '');
				const body = buildMultipart({ ...x.body.fields, csrf }, x.body.file);
				headers['Content-Type'] = body.contentType;
				const file = x.body.file.data as Partial<ComposableStream>;
				if (typeof file.compose === 'function') {
					// n8n's binary stream (filesystem or S3 mode). n8n's helper streams a Node.js stream body,
					// and a verified node may not import node:stream, but it may use the stream n8n handed it:
					// its compose() wraps the file in the multipart framing, so the file is sent as it is read.
					headers['Content-Length'] = String(body.length);
					const stream = file.compose((chunks) => body.parts(chunks));
					// The stream reads ahead while the credential's preAuthentication runs: a file error
					// then comes before the HTTP library listens, and would be an uncaught 'error'.
					stream.on('error', (err) => (streamError ??= err));
					// Both: on Node 20 destroying the composed stream leaves the file open.
					upload = [stream, file];
					options.body = stream as unknown as Buffer;
				} else {
					// Binary data in memory: one buffer, the file held once more while it is sent.
					options.body = await multipartBuffer(body);
				}
			}
			// Linked to the execution's cancel signal, with the client's deadline and close().
			const self = withSignal(x.signal);
			let response: FullResponse;
			try {
				response = (await ctx.helpers.httpRequestWithAuthentication.call(
					self,
					CREDENTIAL_NAME,
					options,
				)) as FullResponse;
			} catch (err) {
				throw failure(streamError ?? err);
			} finally {
				// An upload ended early (cancel, error, an early answer) must still close the file.
				for (const stream of upload ?? []) if (!stream.destroyed) stream.destroy?.();
			}
			return answerFrom(response);
		},
		sleep: (ms, signal) => sleep(ms, signal),
	};
}

/**
 * One exchange as n8n's HTTP helper takes it: the whole answer as text whatever its status, never a
 * redirect followed, the client's deadline and cancel signal.
 */
export function requestOptions(
	x: HttpExchange,
	headers: Record<string, string>,
): IHttpRequestOptions {
	return {
		method: x.method,
		url: x.url,
		qs: x.query,
		headers,
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: x.timeoutMs,
		abortSignal: x.signal,
	};
}

/** n8n's full response as the client reads an answer. */
export function answerFrom(response: FullResponse): HttpAnswer {
	const type = response.headers['content-type'];
	const body = response.body;
	return {
		status: response.statusCode,
		contentType: type === undefined ? undefined : String(type),
		setCookies: setCookieList(response.headers['set-cookie']),
		body:
			typeof body === 'string'
				? body
				: Buffer.isBuffer(body)
					? body.toString('utf8')
					: body === undefined || body === null
						? ''
						: JSON.stringify(body),
	};
}

/**
 * Only a code and a message leave: n8n wraps the HTTP library's error, which carries the request's
 * headers (the cookies), in a NodeApiError.
 */
export function failure(err: unknown): Error & { code?: string } {
	let code: string | undefined;
	let message: string | undefined;
	for (
		let e = err as
				| { code?: unknown; cause?: unknown; message?: unknown; name?: unknown }
				| undefined,
			depth = 0;
		e && depth < 5;
		e = e.cause as typeof e, depth++
	) {
		// n8n refused to send it (SSRF guard, the credential's allowed domains): nothing left, so a
		// charge refused this way provably did not happen.
		if (refusedByN8n(e))
			return Object.assign(new Error(String(e.message)), { code: REFUSED_BY_HOST });
		if (
			!code &&
			typeof e.code === 'string' &&
			/^(E[A-Z_]+|ERR_[A-Z_]+|UND_ERR[A-Z_]*)$/.test(e.code)
		)
			code = e.code;
		if (!message && typeof e.message === 'string' && e !== err) message = e.message;
	}
	return Object.assign(new Error(message ?? (err as Error)?.message ?? 'request failed'), { code });
}

/** The errors n8n raises before a request leaves (@n8n/backend-network's SSRF guard, n8n-workflow's domain rules). */
function refusedByN8n(e: { name?: unknown; message?: unknown }): boolean {
	if (
		typeof e.name === 'string' &&
		/^(SsrfBlocked(Hostname|Ip)Error|UnknownConnectionHostError)$/.test(e.name)
	)
		return true;
	return (
		typeof e.message === 'string' &&
		/^(Domain not allowed:|This credential is configured to prevent use|No allowed domains specified)/.test(
			e.message,
		)
	);
}
