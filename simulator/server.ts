/**
 * A stateful stand-in for Bilibili's endpoints on loopback, so tests, the demo and users building
 * flows need neither a Bilibili account nor B-coins. Faults can be injected and every request is logged.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fail, ROUTES, type HandlerContext, type Json, type Route } from './handlers';
import { generateKeyPairSync } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { LOGIN_ROUTES } from './login';
import { sessionRoutes } from './session';
import { readMultipart } from './multipart';
import { DEFAULT_SIM_CREDENTIALS, SimState, type SimCredentials, type SimRemark } from './state';

export interface SimulatorOptions {
	port?: number;
	host?: string;
	credentials?: Partial<SimCredentials>;
	/** B-coin balance. Default 100. */
	balance?: number;
	/** Upload limit in bytes; Bilibili's is 300 MB. Lower it so tests need not send 300 MB. */
	uploadLimitBytes?: number;
	/** The remark list's paging key: the page's example says `pager`, its table `page`. */
	remarkPageKey?: 'pager' | 'page';
	/** Risk control as reported in the field: -352 (with a v_voucher) to requests that lack these. */
	riskControl?: RiskControl;
}

export interface RiskControl {
	/** A non-empty buvid3 cookie on every logged-in request. */
	requireBuvid3?: boolean;
	/** A browser User-Agent (`Mozilla/5.0 …`). */
	requireBrowserUa?: boolean;
	/** A bili_ticket cookie this simulator issued (GenWebTicket). */
	requireBiliTicket?: boolean;
	/** The life of the tickets it issues, in seconds (Bilibili: 259200, three days). */
	ticketTtlSeconds?: number;
}

export type FaultType =
	| 'http412'
	| 'http500'
	| 'html'
	| 'drop'
	| 'slow'
	| 'code'
	| 'trickle'
	| 'body'
	| 'shortPage'
	| 'huge'
	| 'cut'
	| 'gzip';

export interface Fault {
	type: FaultType;
	/** Only requests whose path contains this. Default: any Bilibili endpoint. */
	path?: string;
	/** Only requests whose query has these values (e.g. one remark's detail: `{ id: '42' }`). */
	query?: Record<string, string>;
	/** How many matching requests it hits. Default 1. */
	times?: number;
	/** Run the endpoint first (state changes), then fault the answer: a charge that happened but whose answer is lost. */
	after?: boolean;
	/** For `slow`: delay before answering. */
	delayMs?: number;
	/** For `code`: the Bilibili code to answer, e.g. -352. */
	code?: number;
	message?: string;
	/**
	 * For `body`: the answer to send instead (a JSON value, or raw text). `{SESSDATA}` and `{bili_jct}`
	 * anywhere in it, or in `contentType`, are replaced by the cookie values received: an echoing proxy.
	 */
	body?: unknown;
	contentType?: string;
	status?: number;
	/** For `shortPage`: how many remarks to leave out of the list's page (from its end). */
	drop?: number;
	/** For `huge`: bytes of answer to stream. For `trickle`: bytes to send, one every `delayMs`. */
	bytes?: number;
}

export interface LoggedRequest {
	seq: number;
	at: number;
	method: string;
	path: string;
	query: Record<string, string>;
	/** Form fields without csrf. */
	form: Record<string, string>;
	/** Cookie names received (never values). */
	cookies: string[];
	/** The User-Agent received. */
	userAgent?: string;
	csrfValid?: boolean;
	status: number;
	code?: number;
	fault?: FaultType;
	uploadBytes?: number;
}

const CODE_MESSAGES: Record<number, string> = {
	[-352]: '风控校验失败',
	[-412]: '请求被拦截',
	[-799]: '请求过于频繁,请稍后再试',
	[-500]: '服务器错误',
	20004: '充电服务异常',
};

export class BilibiliSimulator {
	state: SimState;
	readonly requests: LoggedRequest[] = [];
	/** TCP connections accepted so far (keep-alive check). */
	connections = 0;
	private faults: Array<Fault & { times: number }> = [];
	private server?: http.Server;
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly sockets = new Set<Socket>();
	private seq = 0;
	readonly credentials: SimCredentials;
	/** The key pair correspondPath is encrypted with here (the client's refreshPublicKey option). */
	readonly refreshKeys = generateKeyPairSync('rsa', {
		modulusLength: 1024,
		publicKeyEncoding: { type: 'spki', format: 'pem' },
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
	});
	private readonly sessionRoutes = sessionRoutes(this.refreshKeys.privateKey);
	/** What risk control demands now; tests may change it between requests. */
	riskControl: RiskControl;
	readonly options: Required<Pick<SimulatorOptions, 'uploadLimitBytes' | 'remarkPageKey'>> &
		SimulatorOptions;

	constructor(options: SimulatorOptions = {}) {
		this.credentials = { ...DEFAULT_SIM_CREDENTIALS, ...options.credentials };
		this.options = { uploadLimitBytes: 300 * 1024 * 1024, remarkPageKey: 'pager', ...options };
		this.state = new SimState(this.credentials, { balance: options.balance });
		this.riskControl = { ...options.riskControl };
	}

	get url(): string {
		const address = this.server?.address() as AddressInfo | null;
		if (!address) throw new Error('simulator not started');
		return `http://${this.options.host ?? '127.0.0.1'}:${address.port}`;
	}

	async start(): Promise<string> {
		const server = http.createServer((req, res) => void this.handle(req, res));
		server.keepAliveTimeout = 5000;
		server.on('connection', (socket) => {
			this.connections++;
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.server = server;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
		});
		return this.url;
	}

	async stop(): Promise<void> {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		for (const s of this.sockets) s.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Forgets every order, remark, QR code, fault and logged request. */
	reset(): void {
		this.state = new SimState(this.credentials, { balance: this.options.balance });
		this.riskControl = { ...this.options.riskControl };
		this.faults = [];
		this.requests.length = 0;
		this.connections = 0;
	}

	injectFault(fault: Fault): void {
		this.faults.push({ ...fault, times: fault.times ?? 1 });
	}

	clearFaults(): void {
		this.faults = [];
	}

	addRemark(input: Partial<SimRemark> & { msg: string }): SimRemark {
		return this.state.addRemark(input);
	}

	advanceClock(ms: number): void {
		this.state.clockOffsetMs += ms;
	}

	/** Requests received for an endpoint path. */
	requestsTo(path: string): LoggedRequest[] {
		return this.requests.filter((r) => r.path === path);
	}

	private takeFault(path: string, query: URLSearchParams): Fault | undefined {
		const matches = (f: Fault) =>
			Object.entries(f.query ?? {}).every(([k, v]) => query.get(k) === v);
		const fault = this.faults.find(
			(f) => f.times > 0 && (f.path === undefined || path.includes(f.path)) && matches(f),
		);
		if (!fault) return undefined;
		fault.times--;
		this.faults = this.faults.filter((f) => f.times > 0);
		return fault;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sim');
		if (url.pathname.startsWith('/__sim/')) return this.control(req, res, url);
		const route = [...ROUTES, ...LOGIN_ROUTES, ...this.sessionRoutes].find(
			(r) =>
				(r.prefix ? url.pathname.startsWith(r.path) : r.path === url.pathname) &&
				r.method === req.method,
		);
		const cookies = parseCookies(req.headers.cookie);
		const entry: LoggedRequest = {
			seq: ++this.seq,
			at: this.state.now(),
			method: req.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			form: {},
			cookies: Object.keys(cookies),
			userAgent: req.headers['user-agent'],
			status: 200,
		};
		this.requests.push(entry);
		try {
			const fault = this.takeFault(url.pathname, url.searchParams);
			if (fault) entry.fault = fault.type;
			if (!route) return this.send(res, entry, 404, { code: -404, message: '啥都木有', ttl: 1 });
			// The body is read first so a slow answer still processes a request whose client gave up.
			const ctx = await this.context(route, req, url, entry);
			if (fault && !fault.after && (await this.applyFault(fault, req, res, entry))) return;
			if (fault && fault.type === 'body') return this.echo(fault, cookies, res, entry);
			const body =
				this.riskCheck(route, req, cookies) ??
				this.authorize(route, cookies, ctx, entry) ??
				route.handle(ctx);
			if (fault?.type === 'shortPage') shortenPage(body, fault.drop ?? 1);
			if (fault?.after && (await this.applyFault(fault, req, res, entry))) return;
			if (fault?.type === 'cut' || fault?.type === 'gzip')
				return this.sendShaped(fault.type, res, entry, body);
			if (ctx.setCookies) res.setHeader('Set-Cookie', ctx.setCookies);
			if (ctx.page)
				return this.sendRaw(res, entry, ctx.page.status, 'text/html; charset=utf-8', ctx.page.html);
			this.send(res, entry, 200, body);
		} catch (err) {
			this.send(res, entry, 400, fail(-400, `请求错误: ${(err as Error).message}`));
		}
	}

	private async context(
		route: Route,
		req: IncomingMessage,
		url: URL,
		entry: LoggedRequest,
	): Promise<HandlerContext> {
		const ctx: HandlerContext = {
			state: this.state,
			query: url.searchParams,
			form: {},
			options: this.options,
			path: url.pathname,
			ticketTtlSeconds: this.riskControl.ticketTtlSeconds,
		};
		const type = req.headers['content-type'] ?? '';
		// Bilibili takes a write's fields as a form or as multipart (n8n's HTTP Request node sends either).
		if (route.multipart || (req.method === 'POST' && /^multipart\/form-data/i.test(type))) {
			const boundary = /boundary=([^;]+)/.exec(type)?.[1];
			if (!boundary) throw new Error('multipart body expected');
			ctx.upload = await readMultipart(req, boundary.replace(/^"|"$/g, ''));
			ctx.form = ctx.upload.fields;
			entry.uploadBytes = ctx.upload.files.reduce((n, f) => n + f.size, 0);
		} else if (req.method === 'POST') {
			ctx.form = Object.fromEntries(new URLSearchParams(await readText(req)));
		}
		const { csrf: _csrf, ...rest } = ctx.form;
		entry.form = rest;
		return ctx;
	}

	private riskCheck(
		route: Route,
		req: IncomingMessage,
		cookies: Record<string, string>,
	): Json | undefined {
		if (route.anonymous) return undefined;
		const { requireBuvid3, requireBrowserUa, requireBiliTicket } = this.riskControl;
		const browser = /^Mozilla\/5\.0 /.test(req.headers['user-agent'] ?? '');
		const ticket = this.state.tickets.get(cookies.bili_ticket ?? '');
		const ticketValid = ticket !== undefined && ticket > this.state.now();
		if (
			(requireBuvid3 && !cookies.buvid3) ||
			(requireBrowserUa && !browser) ||
			(requireBiliTicket && !ticketValid)
		)
			return { code: -352, message: '风控校验失败', ttl: 1, data: { v_voucher: 'voucher_sim' } };
		return undefined;
	}

	private authorize(
		route: Route,
		cookies: Record<string, string>,
		ctx: HandlerContext,
		entry: LoggedRequest,
	): Json | undefined {
		if (route.anonymous) return undefined;
		const session = this.state.session(cookies.SESSDATA);
		if (!session) return fail(-101, '账号未登录');
		ctx.session = session;
		if (route.needsDedeUserID && (!cookies.DedeUserID || cookies.DedeUserID === '0'))
			return fail(-101, '账号未登录');
		if (route.csrf) {
			entry.csrfValid = ctx.form.csrf === session.bili_jct;
			if (!entry.csrfValid) return fail(-111, 'csrf 校验失败');
		}
		return undefined;
	}

	/** Returns true when the fault answered (or dropped) the request itself. */
	private async applyFault(
		fault: Fault,
		req: IncomingMessage,
		res: ServerResponse,
		entry: LoggedRequest,
	): Promise<boolean> {
		switch (fault.type) {
			case 'slow':
				await new Promise<void>((resolve) => {
					const t = setTimeout(() => {
						this.timers.delete(t);
						resolve();
					}, fault.delayMs ?? 1000);
					this.timers.add(t);
				});
				// Like a real server, carry on even if the client gave up waiting.
				return false;
			case 'drop':
				entry.status = 0;
				req.socket.destroy();
				return true;
			case 'http412':
				this.sendRaw(
					res,
					entry,
					412,
					'text/html',
					'<!DOCTYPE html><html><body><h1>412 Precondition Failed</h1><p>由于触发哔哩哔哩安全风控策略,该次访问请求被拒绝。</p></body></html>',
				);
				return true;
			case 'http500':
				this.sendRaw(res, entry, 500, 'text/plain', 'Internal Server Error');
				return true;
			case 'html':
				this.sendRaw(
					res,
					entry,
					200,
					'text/html',
					'<!DOCTYPE html><html><head><title>出错啦! - bilibili.com</title></head><body>502 Bad Gateway</body></html>',
				);
				return true;
			case 'code': {
				const code = fault.code ?? -352;
				this.send(res, entry, 200, fail(code, fault.message ?? CODE_MESSAGES[code] ?? '错误'));
				return true;
			}
			case 'trickle':
				this.trickle(res, entry, fault.bytes ?? 10_000, fault.delayMs ?? 200);
				return true;
			case 'huge':
				this.huge(res, entry, fault.bytes ?? 25 * 1024 * 1024);
				return true;
			case 'body':
			case 'shortPage':
			case 'cut':
			case 'gzip':
				return false;
		}
	}

	/** Answers what the fault says, with the cookies it received pasted in where it asks. */
	private echo(
		fault: Fault,
		cookies: Record<string, string>,
		res: ServerResponse,
		entry: LoggedRequest,
	): void {
		const paste = (text: string) =>
			text
				.replace(/\{SESSDATA\}/g, cookies.SESSDATA ?? '')
				.replace(/\{bili_jct\}/g, cookies.bili_jct ?? '');
		const raw = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? null);
		this.sendRaw(
			res,
			entry,
			fault.status ?? 200,
			paste(fault.contentType ?? 'application/json; charset=utf-8'),
			paste(raw),
		);
	}

	/** A valid JSON start, then one byte every `delayMs`: a server that never finishes. */
	private trickle(res: ServerResponse, entry: LoggedRequest, bytes: number, delayMs: number): void {
		entry.status = 200;
		res.writeHead(200, {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Length': bytes + 10,
		});
		res.write('{"code":0,');
		let sent = 0;
		const tick = () => {
			if (res.destroyed || sent >= bytes) return;
			res.write(' ');
			sent++;
			const t = setTimeout(() => {
				this.timers.delete(t);
				tick();
			}, delayMs);
			this.timers.add(t);
		};
		tick();
	}

	/** An answer far larger than any Bilibili answer, streamed in 64 KiB chunks. */
	private huge(res: ServerResponse, entry: LoggedRequest, bytes: number): void {
		entry.status = 200;
		res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
		const chunk = Buffer.alloc(64 * 1024, 0x20);
		let left = bytes;
		const pump = () => {
			while (left > 0 && !res.destroyed) {
				left -= chunk.length;
				if (!res.write(chunk)) return void res.once('drain', pump);
			}
			if (!res.destroyed) res.end();
		};
		res.write('{"code":0,"data":"');
		pump();
	}

	private send(res: ServerResponse, entry: LoggedRequest, status: number, body: Json): void {
		entry.code = typeof body.code === 'number' ? body.code : undefined;
		this.sendRaw(res, entry, status, 'application/json; charset=utf-8', JSON.stringify(body));
	}

	/**
	 * The endpoint's real answer (its state change made), either gzip-compressed as Bilibili sends it
	 * to clients that accept it, or `cut`: the whole JSON, then the connection closes short of the
	 * announced length. An answer that parses and is still not complete.
	 */
	private sendShaped(type: 'cut' | 'gzip', res: ServerResponse, entry: LoggedRequest, body: Json) {
		entry.status = 200;
		entry.code = typeof body.code === 'number' ? body.code : undefined;
		const raw = Buffer.from(JSON.stringify(body));
		const headers = { 'Content-Type': 'application/json; charset=utf-8' };
		if (type === 'gzip') {
			const packed = gzipSync(raw);
			res.writeHead(200, {
				...headers,
				'Content-Encoding': 'gzip',
				'Content-Length': packed.length,
			});
			return void res.end(packed);
		}
		res.writeHead(200, { ...headers, 'Content-Length': raw.length + 16 });
		res.write(raw, () => res.destroy());
	}

	private sendRaw(
		res: ServerResponse,
		entry: LoggedRequest,
		status: number,
		type: string,
		body: string,
	): void {
		entry.status = status;
		if (res.destroyed) return;
		res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
		res.end(body);
	}

	/** HTTP control API, so the demo and other processes can drive the simulator. */
	private async control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const reply = (status: number, body: unknown) => {
			res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
			res.end(JSON.stringify(body));
		};
		try {
			const input =
				req.method === 'POST'
					? (JSON.parse((await readText(req)) || '{}') as Record<string, unknown>)
					: {};
			const action = `${req.method} ${url.pathname.slice('/__sim'.length)}`;
			const token = String(input.token ?? '');
			switch (action) {
				case 'GET /state':
					return reply(200, {
						balance: this.state.balance,
						remarks: this.state.remarks,
						qrCodes: [...this.state.qrCodes.values()],
						orders: [...this.state.orders.values()],
						sign: this.state.sign,
					});
				case 'GET /requests':
					return reply(200, this.requests);
				case 'POST /remarks':
					return reply(200, this.addRemark(input as { msg: string }));
				case 'POST /qr/scan':
					return reply(200, this.state.scanQr(token));
				case 'POST /qr/pay':
					return reply(200, this.state.payQr(token));
				case 'POST /qr/expire':
					this.state.expireQr(token);
					return reply(200, { ok: true });
				case 'GET /logins':
					return reply(
						200,
						[...this.state.logins.keys()].map((key) => ({
							key,
							state: this.state.loginState(key),
						})),
					);
				case 'POST /login/scan':
					return reply(200, this.state.scanLogin(String(input.key ?? '')));
				case 'POST /login/confirm':
					return reply(200, this.state.confirmLogin(String(input.key ?? '')));
				case 'POST /login/expire':
					return reply(200, this.state.expireLogin(String(input.key ?? '')));
				case 'POST /clock':
					this.advanceClock(Number(input.advanceMs ?? 0));
					return reply(200, { now: this.state.now() });
				case 'POST /faults':
					this.injectFault(input as unknown as Fault);
					return reply(200, { ok: true });
				case 'DELETE /faults':
					this.clearFaults();
					return reply(200, { ok: true });
				case 'POST /balance':
					this.state.balance = Number(input.balance);
					return reply(200, { balance: this.state.balance });
				case 'POST /reset':
					this.reset();
					return reply(200, { ok: true });
				default:
					return reply(404, { error: `unknown control action ${action}` });
			}
		} catch (err) {
			reply(400, { error: (err as Error).message });
		}
	}
}

/** Leaves `drop` remarks out of a list page while its pager still counts them. */
function shortenPage(body: Json, drop: number): void {
	const data = body.data as { list?: unknown[] } | undefined;
	if (Array.isArray(data?.list)) data.list.splice(Math.max(0, data.list.length - drop), drop);
}

function parseCookies(header: string | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const pair of (header ?? '').split(';')) {
		const i = pair.indexOf('=');
		if (i > 0) out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
	}
	return out;
}

function readText(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > limit) reject(new Error('body too large'));
			else chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}
