/**
 * The runtime outside n8n (client/runtime/node.ts) on the wire, against real local servers: what it
 * decodes and what it refuses to hand back as an answer (proxies: proxy.test.ts). The client's own
 * rules on top of it are in test/sim (run on both runtimes).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import zlib from 'node:zlib';
import { createNodeRuntime } from '../../index';
import type { HttpExchange, Runtime } from '../../client/transport/runtime';

const COOKIE = 'SESSDATA=secret-sessdata-value; bili_jct=secret-csrf-value';
const servers: http.Server[] = [];
const runtimes: Runtime[] = [];

afterEach(async () => {
	for (const r of runtimes.splice(0)) r.close?.();
	await Promise.all(
		servers.splice(0).map((s) => {
			s.closeAllConnections();
			return new Promise((done) => s.close(done));
		}),
	);
});

async function serve(handler: http.RequestListener): Promise<string> {
	const server = http.createServer(handler);
	servers.push(server);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function runtime(): Runtime {
	const r = createNodeRuntime();
	runtimes.push(r);
	return r;
}

function exchange(url: string, more: Partial<HttpExchange> = {}): HttpExchange {
	return {
		method: 'POST',
		url,
		headers: { Accept: 'application/json' },
		body: { type: 'form', fields: { msg: '谢谢' } },
		auth: { cookie: COOKIE, csrf: 'secret-csrf-value' },
		signal: new AbortController().signal,
		timeoutMs: 5000,
		maxAnswerBytes: 1024 * 1024,
		...more,
	};
}

const ANSWER = JSON.stringify({ code: 0, message: '0', data: { text: '充电 '.repeat(2000) } });

describe('answers', () => {
	it.each([
		['gzip', zlib.gzipSync],
		['deflate', zlib.deflateSync],
		['br', zlib.brotliCompressSync],
	] as const)('compressed with %s are read as the JSON that was sent', async (coding, pack) => {
		let accepted: string | undefined;
		const url = await serve((req, res) => {
			accepted = req.headers['accept-encoding'];
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': coding });
			res.end(pack(Buffer.from(ANSWER)));
		});
		const answer = await runtime().send(exchange(url));
		expect(accepted).toContain(coding);
		expect(answer).toMatchObject({ status: 200, body: ANSWER, contentType: 'application/json' });
	});

	it('sends the form with csrf and the cookie, and hands back every Set-Cookie', async () => {
		let got: { body: string; cookie?: string; type?: string } | undefined;
		const url = await serve(async (req, res) => {
			let body = '';
			for await (const c of req) body += c;
			got = { body, cookie: req.headers.cookie, type: req.headers['content-type'] };
			res.writeHead(200, { 'Set-Cookie': ['a=1; Path=/', 'b=2; Path=/'] });
			res.end('\ufeff{"code":0}');
		});
		const answer = await runtime().send(exchange(url, { query: { id: 7, q: 'a b&c' } }));
		expect(got).toEqual({
			body: 'msg=%E8%B0%A2%E8%B0%A2&csrf=secret-csrf-value',
			cookie: COOKIE,
			type: 'application/x-www-form-urlencoded',
		});
		// A byte order mark is not part of the JSON.
		expect(answer.body).toBe('{"code":0}');
		expect(answer.setCookies).toEqual(['a=1; Path=/', 'b=2; Path=/']);
	});

	it.each([
		['plain', (b: Buffer) => b, {}],
		['gzip', zlib.gzipSync, { 'Content-Encoding': 'gzip' }],
	] as const)(
		'cut short of their announced length (%s) are a reset connection, never a partial answer',
		async (_name, pack, headers) => {
			const url = await serve((_req, res) => {
				const whole = pack(Buffer.from(ANSWER));
				res.writeHead(200, { ...headers, 'Content-Length': whole.length });
				res.write(whole.subarray(0, whole.length - 5), () => res.destroy());
			});
			const err = await runtime()
				.send(exchange(url))
				.catch((e) => e);
			expect(err).toBeInstanceOf(Error);
			expect(['ECONNRESET', 'Z_BUF_ERROR']).toContain(err.code);
		},
	);

	it.each([
		[
			'announced by Content-Length',
			(res: http.ServerResponse) => {
				res.writeHead(200, { 'Content-Length': 2 * 1024 * 1024 });
				res.write(Buffer.alloc(1024, 0x20));
			},
		],
		[
			'counted as they stream',
			(res: http.ServerResponse) => {
				res.writeHead(200);
				const chunk = Buffer.alloc(64 * 1024, 0x20);
				const pump = () => {
					while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', pump);
				};
				pump();
			},
		],
		[
			'counted after decompression',
			(res: http.ServerResponse) => {
				// 8 MB of spaces packs into a few KB: the limit is on what is read, not what was sent.
				const bomb = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
				res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': bomb.length });
				res.end(bomb);
			},
		],
	])('over the limit, %s, are refused as too large', async (_name, answer) => {
		const url = await serve((_req, res) => answer(res));
		const err = await runtime()
			.send(exchange(url))
			.catch((e) => e);
		expect(err.code).toBe('ANSWER_TOO_LARGE');
	});
});

describe('failures', () => {
	it('a cancel mid-answer ends the call with ERR_CANCELED, and no error carries the request', async () => {
		let started!: () => void;
		const halfway = new Promise<void>((r) => (started = r));
		const url = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Length': 100 });
			res.write('{"code":0,', () => started());
		});
		const stop = new AbortController();
		const sent = runtime().send(exchange(url, { signal: stop.signal }));
		await halfway;
		stop.abort();
		const err = await sent.catch((e) => e);
		expect(err.code).toBe('ERR_CANCELED');
		const refused = await runtime()
			.send(exchange('http://127.0.0.1:1/'))
			.catch((e) => e);
		expect(refused.code).toBe('ECONNREFUSED');
		for (const e of [err, refused]) {
			const everything = [e.message, e.stack, inspect(e, { showHidden: true, depth: 10 })].join(
				'\n',
			);
			expect(everything).not.toContain('secret-');
		}
	});

	it('a URL that is not http or https is refused before anything is sent', async () => {
		const err = await runtime()
			.send(exchange('ftp://127.0.0.1/x'))
			.catch((e) => e);
		expect(err.code).toBe('ERR_INVALID_URL');
	});
});

describe('content codings', () => {
	it('an empty answer labelled gzip keeps its status (a 412 with Content-Length: 0)', async () => {
		const url = await serve((_req, res) => {
			res.writeHead(412, { 'Content-Encoding': 'gzip', 'Content-Length': 0 });
			res.end();
		});
		expect(await runtime().send(exchange(url))).toMatchObject({ status: 412, body: '' });
	});

	it('raw deflate (no zlib header), as some servers send it, is read', async () => {
		const url = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Encoding': 'deflate' });
			res.end(zlib.deflateRawSync(Buffer.from(ANSWER)));
		});
		expect((await runtime().send(exchange(url))).body).toBe(ANSWER);
	});

	it('an answer that cannot be decoded says so, not that the connection failed', async () => {
		const url = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Encoding': 'gzip' });
			res.end(Buffer.from('this is not gzip'));
		});
		const err = await runtime()
			.send(exchange(url))
			.catch((e) => e);
		expect(err.code).toBe('ERR_ANSWER_DECODING');
		expect(err.message).toMatch(/could not be decoded \(gzip\)/);
	});
});

describe('uploads', () => {
	it('go with their exact length; an answer before the end closes the file and the request', async () => {
		let announced: string | undefined;
		const url = await serve((req, res) => {
			announced = req.headers['content-length'];
			// Refused after the first bytes, as a server refusing an oversized file does.
			req.once('data', () => {
				res.writeHead(413, { Connection: 'close' });
				res.end('{"code":1000011}');
			});
		});
		let closed!: () => void;
		const fileClosed = new Promise<void>((r) => (closed = r));
		let pulled = 0;
		async function* file() {
			try {
				for (;;) {
					pulled++;
					yield Buffer.alloc(64 * 1024, 0x61);
					await new Promise((r) => setTimeout(r, 5));
				}
			} finally {
				closed();
			}
		}
		const size = 64 * 1024 * 1000;
		const answer = await runtime().send(
			exchange(url, {
				body: {
					type: 'multipart',
					fields: { type: '1' },
					file: { field: 'file', filename: 'a.txt', contentType: 'text/plain', data: file(), size },
				},
			}),
		);
		expect(answer.status).toBe(413);
		expect(Number(announced)).toBeGreaterThan(size);
		// The file's iterator is returned (its finally runs): without that this waits until the timeout.
		await fileClosed;
		expect(pulled).toBeLessThan(1000);
	});
});
