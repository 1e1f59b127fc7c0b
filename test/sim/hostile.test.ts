/**
 * The client against a broken or hostile server: trickling answers, echoed cookies, code 0 without the
 * data it promises, short pages, wrong shapes and huge bodies. None of them may cost money, hang a
 * call, leak a cookie, throw a TypeError or lose a remark.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import {
	BilibiliApiError,
	BilibiliOutcomeUnknownError,
	BilibiliValidationError,
	pollNewRemarks,
	type RemarkMark,
	type RemarksApi,
} from '../../index';
import { simClient, useSimulator } from '../helpers/sim';

const ctx = useSimulator({ uploadLimitBytes: 1024 * 1024 });
const PAY = '/x/ugcpay/web/v2/trade/elec/pay/quick';
const LIST = '/x/web/elec/remark/list';
const charge = { up_mid: 2, bp_num: 5 };

/** Everything a caller or a log could show of an error. */
function everything(err: unknown): string {
	const e = err as Error & Record<string, unknown>;
	return [e.message, e.stack, JSON.stringify(e), inspect(e, { showHidden: true, depth: 10 })].join(
		'\n',
	);
}

function expectNoSecret(text: string): void {
	expect(text).not.toContain(ctx.sim.credentials.SESSDATA);
	expect(text).not.toContain(ctx.sim.credentials.bili_jct);
}

describe('a server that trickles its answer', () => {
	it('ends a B-coin charge at its deadline as outcome unknown, sent once', async () => {
		// 10,000 bytes at one per 200 ms would take half an hour: only the deadline can end this call.
		ctx.sim.injectFault({ type: 'trickle', path: PAY, bytes: 10_000, delayMs: 200 });
		const err = await simClient(ctx, { timeoutMs: 1000 })
			.charge.chargeWithBcoin(charge)
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliOutcomeUnknownError);
		expect(err.explanation).toContain('no complete answer in time');
		expect(ctx.sim.requestsTo(PAY)).toHaveLength(1);
	});

	it('ends a read at its deadline as a timeout', async () => {
		ctx.sim.injectFault({
			type: 'trickle',
			path: '/x/member/web/account',
			bytes: 10_000,
			delayMs: 200,
		});
		const err = await simClient(ctx, { timeoutMs: 1000, retry: { retries: 0 } })
			.account.getProfile()
			.catch((e) => e);
		expect(err).toMatchObject({ name: 'BilibiliApiError', code: 'TIMEOUT' });
	});
});

describe('a server that closes the connection short of the length it announced', () => {
	it('leaves a charge outcome unknown, sent once, although the JSON it got parses', async () => {
		ctx.sim.injectFault({ type: 'cut', path: PAY });
		const err = await simClient(ctx)
			.charge.chargeWithBcoin(charge)
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliOutcomeUnknownError);
		expect(ctx.sim.requestsTo(PAY)).toHaveLength(1);
		// The simulator did charge: only the order history can tell the user.
		expect(ctx.sim.state.balance).toBe(100 - charge.bp_num);
	});

	it('makes a read ask again instead of taking the partial answer', async () => {
		ctx.sim.injectFault({ type: 'cut', path: '/x/member/web/account' });
		const profile = await simClient(ctx).account.getProfile();
		expect(profile.mid).toBe(293793435);
		expect(ctx.sim.requestsTo('/x/member/web/account')).toHaveLength(2);
	});
});

describe('a gzip-compressed answer', () => {
	it('is read like a plain one, for a read and for a charge', async () => {
		ctx.sim.injectFault({ type: 'gzip', path: '/x/member/web/account' });
		expect((await simClient(ctx).account.getProfile()).mid).toBe(293793435);
		ctx.sim.injectFault({ type: 'gzip', path: PAY });
		const paid = await simClient(ctx).charge.chargeWithBcoin(charge);
		expect(paid.order_no).toBeTruthy();
		expect(ctx.sim.requestsTo(PAY)).toHaveLength(1);
	});
});

describe('a server or proxy that echoes the cookies', () => {
	it('keeps them out of a refused charge (data.msg)', async () => {
		ctx.sim.injectFault({
			type: 'body',
			path: PAY,
			body: { code: 0, data: { status: -4, msg: 'errNo=800409904 {SESSDATA} / {bili_jct}' } },
		});
		const err = await simClient(ctx)
			.charge.chargeWithBcoin(charge)
			.catch((e) => e);
		expect(err).toMatchObject({ code: 800409904, chargeStatus: -4 });
		expect(err.bilibiliMessage).toContain('***');
		expectNoSecret(everything(err));
	});

	it('keeps them out of the not-JSON error that names the content type', async () => {
		ctx.sim.injectFault({
			type: 'body',
			path: '/x/member/web/account',
			contentType: 'x-{SESSDATA}/{bili_jct}',
			body: 'not json',
		});
		const err = await simClient(ctx, { retry: { retries: 0 } })
			.account.getProfile()
			.catch((e) => e);
		expect(err).toMatchObject({ code: 'NOT_JSON' });
		expectNoSecret(everything(err));
	});

	it('keeps them out of an error message and out of data handed to the caller', async () => {
		ctx.sim.injectFault({
			type: 'body',
			path: '/x/member/web/exp/reward',
			body: { code: -400, message: 'bad {SESSDATA}' },
		});
		const err = await simClient(ctx)
			.account.getDailyExpTasks()
			.catch((e) => e);
		expectNoSecret(everything(err));
		ctx.sim.injectFault({
			type: 'body',
			path: '/x/member/web/account',
			body: {
				code: 0,
				data: { mid: 1, uname: 'a {SESSDATA}', sign: '{bili_jct}', ['{SESSDATA}']: 1 },
			},
		});
		const profile = await simClient(ctx).account.getProfile();
		expectNoSecret(JSON.stringify(profile));
		expect(profile.uname).toBe('a ***');
	});
});

describe('a charge answered with code 0 but no proof', () => {
	it.each([
		['no data', { code: 0, message: '0' }],
		['data without status', { code: 0, data: { order_no: 'X', msg: '' } }],
		['status 0', { code: 0, data: { status: 0 } }],
		['status as text', { code: 0, data: { status: '4' } }],
		['data as a list', { code: 0, data: [] }],
	])('%s is outcome unknown, never a definite failure', async (_name, body) => {
		ctx.sim.injectFault({ type: 'body', path: PAY, body });
		const err = await simClient(ctx)
			.charge.chargeWithBcoin(charge)
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliOutcomeUnknownError);
		expect(err.message).toContain('check the order history before charging again');
		expect(ctx.sim.requestsTo(PAY)).toHaveLength(1);
	});

	it('only -2 and -4 are definite failures', async () => {
		ctx.sim.injectFault({
			type: 'body',
			path: PAY,
			body: { code: 0, data: { status: -2, msg: 'elec raw order create failed: 88201' } },
		});
		const err = await simClient(ctx)
			.charge.chargeWithBcoin(charge)
			.catch((e) => e);
		expect(err).not.toBeInstanceOf(BilibiliOutcomeUnknownError);
		expect(err).toMatchObject({ code: 88201, chargeStatus: -2, retryable: false });
	});
});

describe('answers of the wrong shape are BilibiliApiErrors naming the endpoint, never TypeErrors', () => {
	const cases: Array<
		[string, string, unknown, (c: ReturnType<typeof simClient>) => Promise<unknown>]
	> = [
		[
			'getProfile without data',
			'/x/member/web/account',
			{ code: 0 },
			(c) => c.account.getProfile(),
		],
		['detail without data', '/x/web/elec/remark/detail', { code: 0 }, (c) => c.remarks.detail(1)],
		[
			'createQrPay without qr_token',
			'/qr_code/create',
			{ code: 0, data: { qr_code_url: 'https://x' } },
			(c) => c.charge.createQrPay(charge),
		],
		[
			'getTodayCoinExp without number',
			'/plus/account/exp.php',
			{ code: 0, message: '0' },
			(c) => c.account.getTodayCoinExp(),
		],
		[
			'getCoinLog with a text list',
			'/x/member/web/coin/log',
			{ code: 0, data: { list: 'x' } },
			(c) => c.account.getCoinLog(),
		],
		[
			'list with a non-array list',
			LIST,
			{ code: 0, data: { list: { a: 1 }, pager: { total: 1 } } },
			(c) => c.remarks.list(),
		],
		[
			'list with remarks lacking ids',
			LIST,
			{ code: 0, data: { list: [{ msg: 'x' }], pager: { total: 1 } } },
			(c) => c.remarks.list(),
		],
		[
			'pollNewRemarks on a non-array list',
			LIST,
			{ code: 0, data: { list: 5, pager: { total: 1 } } },
			(c) => c.pollNewRemarks({ id: 1, ctime: 1 }),
		],
	];
	it.each(cases)('%s', async (_name, where, body, call) => {
		ctx.sim.injectFault({ type: 'body', path: where, body, times: 5 });
		const err = await call(simClient(ctx, { retry: { retries: 0 } })).catch(
			(e: BilibiliApiError) => e,
		);
		expect(err).toBeInstanceOf(BilibiliApiError);
		expect((err as BilibiliApiError).code).toBe('UNEXPECTED_ANSWER');
		expect((err as BilibiliApiError).message).toMatch(
			/^Bilibili UNEXPECTED_ANSWER on \w+\.\w+: Bilibili sent an unexpected answer/,
		);
	});

	it('uploadFile without key', async () => {
		ctx.sim.injectFault({ type: 'body', path: '/msg_svr/v1/upload', body: { code: 0, data: {} } });
		const err = await simClient(ctx)
			.customerService.uploadFile({ file: Buffer.from('x'), filename: 'a.txt' })
			.catch((e) => e);
		expect(err).toMatchObject({
			code: 'UNEXPECTED_ANSWER',
			endpoint: 'customerService.uploadFile',
		});
	});
});

describe('a huge answer', () => {
	it('stops reading at 20 MB and does not retry', async () => {
		ctx.sim.injectFault({
			type: 'huge',
			path: '/x/member/web/account',
			bytes: 25 * 1024 * 1024,
			times: 4,
		});
		// A deadline far beyond what 20 MB on loopback takes, so a loaded machine times nothing out.
		const err = await simClient(ctx, { timeoutMs: 60_000 })
			.account.getProfile()
			.catch((e) => e);
		expect(err).toMatchObject({ code: 'NETWORK', retryable: false });
		expect(err.explanation).toContain('larger than 20 MB');
		expect(ctx.sim.requestsTo('/x/member/web/account')).toHaveLength(1);
	});

	it('on a charge is outcome unknown', async () => {
		ctx.sim.injectFault({ type: 'huge', path: PAY, after: true, bytes: 25 * 1024 * 1024 });
		expect(
			await simClient(ctx)
				.charge.chargeWithBcoin(charge)
				.catch((e) => e),
		).toBeInstanceOf(BilibiliOutcomeUnknownError);
	});
});

describe('the remark watcher walks by the pager and the mark, not by page length', () => {
	/** Drains every remark: polls until a poll says it saw everything and found nothing new. */
	async function drain(
		client: ReturnType<typeof simClient>,
		mark: RemarkMark,
		emitted: number[],
		api?: RemarksApi,
	): Promise<RemarkMark> {
		for (let i = 0; i < 50; i++) {
			const result = api ? await pollNewRemarks(api, mark) : await client.pollNewRemarks(mark);
			emitted.push(...result.remarks.map((r) => r.id));
			mark = result.mark;
			if (result.complete && result.remarks.length === 0) return mark;
		}
		throw new Error('did not settle');
	}

	it('short pages in the middle of a walk lose nothing and repeat nothing', async () => {
		const client = simClient(ctx);
		const { mark } = await client.pollNewRemarks(undefined);
		const added = Array.from({ length: 100 }, (_, i) => ctx.sim.addRemark({ msg: `r${i}` }).id);
		// Pages 2 and 5 of the next walk come back short though the pager counts 100.
		const api: RemarksApi = {
			...client.remarks,
			list: async (params, signal) => {
				if (params?.pn === 2 || params?.pn === 5)
					ctx.sim.injectFault({ type: 'shortPage', path: LIST, drop: 3 });
				return client.remarks.list(params, signal);
			},
		};
		const first = await pollNewRemarks(api, mark);
		expect(first.complete).toBe(false);
		// Everything the pages showed is handed out at once (a remark deleted before the next poll is
		// not lost); the six the short pages hid (the last three of pages 2 and 5, newest first) follow.
		const newestFirst = [...added].reverse();
		const hidden = [...newestFirst.slice(21, 24), ...newestFirst.slice(57, 60)];
		expect(first.remarks.map((r) => r.id)).toEqual(added.filter((id) => !hidden.includes(id)));
		const emitted = first.remarks.map((r) => r.id);
		await drain(client, first.mark, emitted);
		expect(emitted.slice(first.remarks.length)).toEqual([...hidden].sort((a, b) => a - b));
		expect([...emitted].sort((a, b) => a - b)).toEqual(added);
	});

	it('remarks deleted during a walk shift others onto earlier pages; a second look finds them', async () => {
		const client = simClient(ctx);
		const { mark } = await client.pollNewRemarks(undefined);
		const added = Array.from({ length: 60 }, (_, i) => ctx.sim.addRemark({ msg: `r${i}` }).id);
		const deleted: number[] = [];
		const api: RemarksApi = {
			...client.remarks,
			list: async (params, signal) => {
				// Before pages 2 and 4, the newest remark is deleted: everything after it moves up one.
				if (params?.pn === 2 || params?.pn === 4) {
					const newest = ctx.sim.state.remarks[ctx.sim.state.remarks.length - 1];
					deleted.push(newest.id);
					ctx.sim.state.removeRemark(newest.id);
				}
				return client.remarks.list(params, signal);
			},
		};
		const emitted: number[] = [];
		const first = await pollNewRemarks(api, mark);
		emitted.push(...first.remarks.map((r) => r.id));
		expect(first.complete).toBe(false);
		await drain(client, first.mark, emitted);
		// Every remark that still exists arrives exactly once (oldest first within each poll); the two
		// deleted mid-walk were shown on page 1 before they went, so they were handed out too.
		expect(new Set(emitted).size).toBe(emitted.length);
		expect([...emitted].sort((a, b) => a - b)).toEqual(added);
		expect(deleted).toHaveLength(2);
	});

	it('random short pages over a large backlog: every remark exactly once', async () => {
		const client = simClient(ctx);
		const { mark: start } = await client.pollNewRemarks(undefined);
		const added = Array.from({ length: 600 }, (_, i) => ctx.sim.addRemark({ msg: `r${i}` }).id);
		let seed = 7;
		const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
		const api: RemarksApi = {
			...client.remarks,
			list: async (params, signal) => {
				if (random() < 0.1)
					ctx.sim.injectFault({
						type: 'shortPage',
						path: LIST,
						drop: 1 + Math.floor(random() * 11),
					});
				return client.remarks.list(params, signal);
			},
		};
		const emitted: number[] = [];
		let mark = start;
		for (let i = 0; i < 200 && emitted.length < added.length; i++) {
			const result = await pollNewRemarks(api, mark);
			emitted.push(...result.remarks.map((r) => r.id));
			mark = result.mark;
		}
		ctx.sim.clearFaults();
		await drain(client, mark, emitted);
		expect(new Set(emitted).size).toBe(emitted.length);
		expect([...emitted].sort((a, b) => a - b)).toEqual(added);
	});
});

describe('every stream handed to uploadFile is closed', () => {
	function tempFile(bytes: number): string {
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bili-upload-')), 'f.bin');
		fs.writeFileSync(file, Buffer.alloc(bytes, 1));
		return file;
	}
	const closed = (stream: fs.ReadStream) =>
		new Promise<void>((resolve) =>
			stream.closed ? resolve() : stream.once('close', () => resolve()),
		);

	it.each([
		['refused as over 300 MB', { size: 301 * 1024 * 1024 }, {}],
		['refused for a bad content type', { contentType: 'text/plain\r\nX-Evil: 1' }, {}],
		['answered with an error', {}, { type: 'code', code: -101 }],
		['failing to connect', {}, 'refused'],
	] as const)('when %s', async (_name, extra, fault) => {
		const file = tempFile(1000);
		const stream = fs.createReadStream(file);
		let client = simClient(ctx, { retry: { retries: 0 } });
		if (fault === 'refused') client = simClient(ctx, { baseUrl: 'http://127.0.0.1:9' });
		else if ('type' in fault) ctx.sim.injectFault({ ...fault, path: '/msg_svr/v1/upload' });
		await expect(
			client.customerService.uploadFile({ file: stream, size: 1000, filename: 'f.bin', ...extra }),
		).rejects.toBeInstanceOf(Error);
		await closed(stream);
		expect(stream.destroyed).toBe(true);
	});

	it('and after a successful upload', async () => {
		const stream = fs.createReadStream(tempFile(1000));
		await simClient(ctx).customerService.uploadFile({
			file: stream,
			size: 1000,
			filename: 'f.bin',
		});
		await closed(stream);
		expect(stream.destroyed).toBe(true);
	});
});

describe('header values', () => {
	it('refuse CR, LF and NUL before anything is sent, and send only the base name of a file', async () => {
		const client = simClient(ctx);
		for (const contentType of ['a\r\nX-Evil: 1', 'a\nb', 'a\0b']) {
			await expect(
				client.customerService.uploadFile({ file: Buffer.from('x'), filename: 'f', contentType }),
			).rejects.toMatchObject({ field: 'contentType' });
		}
		await expect(
			client.customerService.uploadFile({ file: Buffer.from('x'), filename: 'a\r\nb' }),
		).rejects.toMatchObject({ field: 'filename' });
		expect(ctx.sim.requests).toHaveLength(0);
		await client.customerService.uploadFile({
			file: Buffer.from('x'),
			filename: 'C:\\Users\\me\\secret plans/report.pdf',
		});
		expect(ctx.sim.requests[0].form.filename).toBe('report.pdf');
	});
});

describe('abort and close end a call wherever it is', () => {
	it('a call queued behind a slow one leaves the queue when aborted, and is never sent', async () => {
		const client = simClient(ctx, {
			rateLimit: { maxConcurrent: 1, minIntervalMs: 0 },
			timeoutMs: 120_000,
		});
		// The slow call holds the only slot for a minute: the queued call can only end early by leaving the queue.
		ctx.sim.injectFault({ type: 'slow', path: '/x/member/web/account', delayMs: 60_000 });
		let slowSettled = false;
		const slow = client.account
			.getProfile()
			.catch((e) => e)
			.finally(() => (slowSettled = true));
		const controller = new AbortController();
		const queued = client.account.getVipInfo(controller.signal).catch((e) => e);
		setTimeout(() => controller.abort(), 100);
		expect(await queued).toMatchObject({ code: 'ABORTED' });
		expect(slowSettled).toBe(false);
		expect(ctx.sim.requestsTo('/x/vip/web/user/info')).toHaveLength(0);
		client.close();
		await slow;
	});

	it('a charge cancelled before it leaves is not sent and says so, with nothing left to wait for', async () => {
		// Pacing off and the device cookies fetched by an earlier call: the charge waits for nothing.
		const client = simClient(ctx, { rateLimit: false });
		await client.account.getProfile();
		const controller = new AbortController();
		controller.abort();
		const err = await client.charge.chargeWithBcoin(charge, controller.signal).catch((e) => e);
		expect(err).not.toBeInstanceOf(BilibiliOutcomeUnknownError);
		expect(err).toMatchObject({ code: 'ABORTED', notSent: true });
		// Cancelled, or the client closed, in the same step as the call.
		const late = new AbortController();
		const cancelled = client.charge.chargeWithBcoin(charge, late.signal).catch((e) => e);
		late.abort();
		const other = simClient(ctx, { rateLimit: false });
		await other.account.getProfile();
		const closed = other.charge.chargeWithBcoin(charge).catch((e) => e);
		other.close();
		for (const e of [await cancelled, await closed]) {
			expect(e).not.toBeInstanceOf(BilibiliOutcomeUnknownError);
			expect(e).toMatchObject({ code: 'ABORTED', notSent: true });
		}
		expect(ctx.sim.requestsTo(PAY)).toHaveLength(0);
	});

	it('an upload whose file fails mid-read with a network code is not reported as never sent', async () => {
		async function* failing() {
			yield Buffer.alloc(1000, 1);
			throw Object.assign(new Error('getaddrinfo EAI_AGAIN bucket.example'), { code: 'EAI_AGAIN' });
		}
		const err = await simClient(ctx, { rateLimit: false })
			.customerService.uploadFile({ file: failing(), size: 5000, filename: 'clip.mp4' })
			.catch((e) => e);
		expect(err).toMatchObject({ name: 'BilibiliApiError' });
		expect(err.notSent).not.toBe(true);
		expect(err.code).not.toBe('EAI_AGAIN');
	});

	it('close() ends calls that are queued, pacing, backing off or in flight, and refuses new ones', async () => {
		const client = simClient(ctx, {
			rateLimit: { maxConcurrent: 1, minIntervalMs: 60_000 },
			retry: { retries: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
		});
		ctx.sim.injectFault({ type: 'slow', path: '/x/member/web/account', delayMs: 60_000 });
		const inFlight = client.account.getProfile().catch((e) => e);
		const queued = client.account.getVipInfo().catch((e) => e);
		const other = simClient(ctx, {
			retry: { retries: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
		});
		ctx.sim.injectFault({ type: 'http500', path: '/x/member/realname/status' });
		const backingOff = other.account.getRealnameStatus().catch((e) => e);
		await new Promise((r) => setTimeout(r, 200));
		client.close();
		other.close();
		for (const err of await Promise.all([inFlight, queued, backingOff]))
			expect(err).toMatchObject({ name: 'BilibiliApiError', code: 'ABORTED' });
		await expect(client.account.getProfile()).rejects.toMatchObject({
			code: 'ABORTED',
			message: expect.stringContaining('closed'),
		});
	});

	it('close() during a charge in flight reports outcome unknown, not a failure', async () => {
		const client = simClient(ctx);
		ctx.sim.injectFault({ type: 'slow', path: PAY, delayMs: 60_000 });
		const pending = client.charge.chargeWithBcoin(charge).catch((e) => e);
		while (ctx.sim.requestsTo(PAY).length === 0) await new Promise((r) => setTimeout(r, 10));
		client.close();
		expect(await pending).toBeInstanceOf(BilibiliOutcomeUnknownError);
	});
});

describe('input and options are checked where they enter', () => {
	it.each([
		['timeoutMs 0', { timeoutMs: 0 }, 'timeoutMs'],
		['timeoutMs NaN', { timeoutMs: NaN }, 'timeoutMs'],
		['maxConcurrent 0', { rateLimit: { maxConcurrent: 0 } }, 'rateLimit.maxConcurrent'],
		['maxConcurrent NaN', { rateLimit: { maxConcurrent: NaN } }, 'rateLimit.maxConcurrent'],
		['retries NaN', { retry: { retries: NaN } }, 'retry.retries'],
		['retries Infinity', { retry: { retries: Infinity } }, 'retry.retries'],
		['retries "3x"', { retry: { retries: '3x' } }, 'retry.retries'],
		['retries 1e3', { retry: { retries: 1000 } }, 'retry.retries'],
		['a user agent with a line break', { userAgent: 'UA\r\nX: 1' }, 'userAgent'],
		['spending limit 0', { spendingLimits: { maxPerCharge: 0 } }, 'spendingLimits.maxPerCharge'],
	])('%s', (_name, options, field) => {
		let err: unknown;
		try {
			simClient(ctx, options as never);
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(BilibiliValidationError);
		expect((err as BilibiliValidationError).field).toBe(field);
	});

	it('"3" retries means three, not thirty-one', async () => {
		ctx.sim.injectFault({ type: 'http500', path: '/x/member/web/account', times: 100 });
		await simClient(ctx, { retry: { retries: '3' as never, baseDelayMs: 1, maxDelayMs: 2 } })
			.account.getProfile()
			.catch(() => undefined);
		expect(ctx.sim.requestsTo('/x/member/web/account')).toHaveLength(4);
	});

	it('watchers refuse intervals and marks that would flood, hang or re-deliver', async () => {
		const client = simClient(ctx);
		await expect(client.pollNewRemarks({} as RemarkMark)).rejects.toMatchObject({ field: 'mark' });
		await expect(client.pollNewRemarks({ id: 'x', ctime: 1 } as never)).rejects.toMatchObject({
			field: 'mark',
		});
		await expect(
			client.pollNewRemarks({ id: 1, ctime: 1 }, { detailConcurrency: NaN }),
		).rejects.toMatchObject({ field: 'detailConcurrency' });
		const { waitForQrPayment } = await import('../../index');
		for (const intervalMs of [NaN, 0, 10]) {
			await expect(waitForQrPayment(client.charge, 'token', { intervalMs })).rejects.toMatchObject({
				field: 'intervalMs',
			});
		}
		await expect(
			client.watchQrPay({ charge, intervalMs: 0, onEvent: () => undefined }),
		).rejects.toMatchObject({ field: 'intervalMs' });
		expect(ctx.sim.requests).toHaveLength(0);
	});

	it('reads options from own properties only: a polluted prototype cannot redirect the cookies', async () => {
		const proto = Object.prototype as Record<string, unknown>;
		proto.baseUrl = 'http://127.0.0.1:9';
		proto.timeoutMs = 0;
		try {
			const client = simClient(ctx);
			await client.account.getProfile();
			expect(ctx.sim.requestsTo('/x/member/web/account')).toHaveLength(1);
		} finally {
			delete proto.baseUrl;
			delete proto.timeoutMs;
		}
	});

	it('smaller ones: list(null), loose numbers, a null signature', async () => {
		const client = simClient(ctx);
		await expect(client.remarks.list(null)).resolves.toMatchObject({ list: [] });
		for (const bp_num of ['0x10', '1e3', '2.0', ' ', '10abc']) {
			await expect(client.charge.chargeWithBcoin({ up_mid: 2, bp_num })).rejects.toMatchObject({
				field: 'bp_num',
			});
		}
		await expect(client.account.updateSignature(null as never)).rejects.toMatchObject({
			field: 'user_sign',
		});
		await expect(client.account.updateSignature(undefined as never)).rejects.toMatchObject({
			field: 'user_sign',
		});
		expect(ctx.sim.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
		await client.account.updateSignature('');
		expect(ctx.sim.state.sign).toBe('');
	});
});
