import { testRuntime } from '../helpers/runtimes';
import { Readable } from 'node:stream';
import util from 'node:util';
import { BilibiliClient } from '../../index';
import type { Fault } from '../../simulator';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
// Each fault names its endpoint, so the browser-identity fetch (or any other request) cannot take it.
const CHARGE_PATH = '/x/ugcpay/web/v2/trade/elec/pay/quick';

/** Every way a thrown error can be shown, printed or shipped. */
function renderings(value: unknown): string[] {
	const err = value as Error;
	return [
		String(err),
		err?.message ?? '',
		err?.stack ?? '',
		util.inspect(err, { showHidden: true, depth: Infinity, getters: true }),
		JSON.stringify(err) ?? '',
		JSON.stringify(
			Object.getOwnPropertyNames(err ?? {}).map((k) =>
				util.inspect((err as unknown as Record<string, unknown>)[k], { depth: Infinity }),
			),
		),
	];
}

describe('secrets never leak', () => {
	const logs: string[] = [];
	let client: BilibiliClient;
	let secrets: string[];

	beforeEach(() => {
		logs.length = 0;
		const c = ctx.sim.credentials;
		secrets = [c.SESSDATA, c.bili_jct, decodeURIComponent(c.SESSDATA)];
		client = new BilibiliClient({
			credentials: c,
			runtime: testRuntime(c, ctx.url),
			baseUrl: ctx.url,
			rateLimit: false,
			timeoutMs: 100,
			retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
			logger: { debug: (m) => logs.push(m), warn: (m) => logs.push(m) },
		});
		ctx.clients.push(client);
	});

	const expectClean = (value: unknown) => {
		for (const text of renderings(value))
			for (const secret of secrets) expect(text).not.toContain(secret);
	};

	const failures: Array<[string, Fault | undefined, (c: BilibiliClient) => Promise<unknown>]> = [
		[
			'HTTP 412',
			{ type: 'http412', times: 5, path: '/x/member/web/account' },
			(c) => c.account.getProfile(),
		],
		['HTTP 500', { type: 'http500', times: 5, path: '/remark/list' }, (c) => c.remarks.list()],
		[
			'HTML body',
			{ type: 'html', times: 5, path: '/x/vip/web/user/info' },
			(c) => c.account.getVipInfo(),
		],
		[
			'dropped connection',
			{ type: 'drop', times: 5, path: '/coin/log' },
			(c) => c.account.getCoinLog(),
		],
		[
			'timeout',
			{ type: 'slow', delayMs: 300, times: 5, path: '/heart_beat' },
			(c) => c.customerService.heartbeat(),
		],
		[
			'charge outcome unknown',
			{ type: 'drop', after: true, path: CHARGE_PATH },
			(c) => c.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 }),
		],
		[
			'charge timeout',
			{ type: 'slow', delayMs: 300, path: CHARGE_PATH },
			(c) => c.charge.chargeWithBcoin({ up_mid: 1, bp_num: 2 }),
		],
		[
			'a server message that echoes the csrf',
			undefined,
			(c) => c.remarks.reply({ id: 1, msg: 'x' }),
		],
		[
			'-352 risk control',
			{ type: 'code', code: -352, times: 5, path: '/realname/status' },
			(c) => c.account.getRealnameStatus(),
		],
		['validation', undefined, (c) => c.charge.chargeWithBcoin({ up_mid: 1, bp_num: 1 })],
		[
			'upload stream shorter than announced',
			undefined,
			(c) =>
				c.customerService.uploadFile({
					file: Readable.from([Buffer.from('abc')]),
					size: 10,
					filename: 'a',
				}),
		],
	];

	it.each(failures)('%s', async (name, fault, call) => {
		if (fault) ctx.sim.injectFault(fault);
		if (name.startsWith('a server message')) {
			ctx.sim.injectFault({
				type: 'code',
				code: -111,
				path: '/remark/reply',
				message: `csrf ${ctx.sim.credentials.bili_jct} 与 ${ctx.sim.credentials.SESSDATA} 不匹配`,
			});
		}
		const err = await call(client).then(
			() => undefined,
			(e) => e,
		);
		expect(err).toBeInstanceOf(Error);
		// A charge whose outcome is unclear was sent once, never again.
		if (name.startsWith('charge')) expect(ctx.sim.requestsTo(CHARGE_PATH)).toHaveLength(1);
		expectClean(err);
		expect(logs.join('\n')).not.toMatch(
			new RegExp(secrets.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')),
		);
	});

	it('a wrong SESSDATA and bili_jct are not echoed either', async () => {
		const wrong = new BilibiliClient({
			credentials: { SESSDATA: 'wrong-sessdata-value', bili_jct: 'wrong-csrf-value' },
			baseUrl: ctx.url,
			rateLimit: false,
			runtime: testRuntime(
				{ SESSDATA: 'wrong-sessdata-value', bili_jct: 'wrong-csrf-value' },
				ctx.url,
			),
		});
		ctx.clients.push(wrong);
		secrets.push('wrong-sessdata-value', 'wrong-csrf-value');
		expectClean(await wrong.account.getProfile().catch((e) => e));
		expectClean(await wrong.remarks.reply({ id: 1, msg: 'x' }).catch((e) => e));
	});

	it('a refused connection', async () => {
		const c = new BilibiliClient({
			credentials: ctx.sim.credentials,
			baseUrl: 'http://127.0.0.1:9',
			rateLimit: false,
			runtime: testRuntime(ctx.sim.credentials, 'http://127.0.0.1:9'),
			retry: { retries: 0 },
		});
		ctx.clients.push(c);
		expectClean(await c.account.getProfile().catch((e) => e));
	});

	it('the client itself prints and serialises without cookies', () => {
		const inner = (client as unknown as { transport: unknown }).transport;
		for (const text of [
			util.inspect(client, { showHidden: true, depth: Infinity }),
			JSON.stringify(client),
			util.inspect(inner, { showHidden: true, depth: Infinity }),
		]) {
			for (const secret of secrets) expect(text).not.toContain(secret);
		}
	});
});
