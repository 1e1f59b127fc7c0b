import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { waitForQrPayment, watchQrPay, type ChargeApi, type QrPayEvent } from '../../index';
import { simClient, useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const charge = { up_mid: 2, bp_num: 5 };
// PNG rendering is slow under jest's module sandbox; only the first test needs the image.
const noImage = [] as const;
const STATUS = '/x/ugcpay/trade/elec/pay/order/status';

// Status polls are at least a second apart (the client's floor), so these tests wait in real seconds.
const POLL = 1000;

/** Timers started through the global setTimeout while `run` runs that are neither fired nor cleared. */
async function timersLeftBy<T>(run: () => Promise<T>): Promise<{ result: T; pending: number }> {
	const pending = new Set<unknown>();
	const realSet = global.setTimeout;
	const realClear = global.clearTimeout;
	const setSpy = jest.spyOn(global, 'setTimeout').mockImplementation(((
		fn: (...a: unknown[]) => void,
		ms?: number,
		...args: unknown[]
	) => {
		const handle: unknown = realSet(
			(...a: unknown[]) => {
				pending.delete(handle);
				fn(...a);
			},
			ms,
			...args,
		);
		pending.add(handle);
		return handle;
	}) as typeof setTimeout);
	const clearSpy = jest.spyOn(global, 'clearTimeout').mockImplementation(((
		handle: Parameters<typeof clearTimeout>[0],
	) => {
		pending.delete(handle);
		realClear(handle);
	}) as typeof clearTimeout);
	try {
		const result = await run();
		return { result, pending: pending.size };
	} finally {
		setSpy.mockRestore();
		clearSpy.mockRestore();
	}
}

describe('watchQrPay', () => {
	it('goes created -> scanned -> paid, telling each once, with a PNG that decodes to the pay URL', async () => {
		const client = simClient(ctx);
		let scannedReads = 0;
		// The fan scans, then takes two polls to confirm: `scanned` is read twice, told once.
		const api: ChargeApi = {
			...client.charge,
			async getQrPayStatus(token, signal) {
				const status = await client.charge.getQrPayStatus(token, signal);
				if (status.state === 'scanned' && ++scannedReads === 2) ctx.sim.state.payQr(token);
				return status;
			},
		};
		const events: QrPayEvent[] = [];
		const final = await watchQrPay(api, {
			charge,
			intervalMs: POLL,
			onEvent(event) {
				events.push(event);
				if (event.type === 'created') ctx.sim.state.scanQr(event.qr_token!);
			},
		});
		expect(events.map((e) => e.type)).toEqual(['created', 'scanned', 'paid']);
		expect(final).toBe(events[2]);
		expect(final?.order_no).toBe(ctx.sim.state.qrCodes.get(final!.qr_token!)?.order_no);

		const created = events[0];
		const image = PNG.sync.read(created.png!);
		expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(
			created.qr_code_url,
		);
		expect(Date.parse(created.expires_at!) - Date.parse(created.at)).toBe(10 * 60_000);
	});

	it('goes created -> expired when Bilibili forgets the token', async () => {
		const client = simClient(ctx);
		const events: string[] = [];
		const final = await client.watchQrPay({
			charge,
			intervalMs: POLL,
			render: ['svg', 'terminal'],
			onEvent(event) {
				events.push(event.type);
				if (event.type === 'created') {
					expect(event.svg).toContain('<svg');
					expect(event.png).toBeUndefined();
					ctx.sim.advanceClock(10 * 60_000);
				}
			},
		});
		expect(events).toEqual(['created', 'expired']);
		expect(final?.type).toBe('expired');
	});

	it('expires on its own clock ten minutes (here: 1 s) after creation, after one last look at the deadline', async () => {
		const client = simClient(ctx);
		const events: string[] = [];
		await client.watchQrPay({
			charge,
			render: noImage,
			intervalMs: 5000,
			validForMs: 1000,
			onEvent: (e) => events.push(e.type),
		});
		expect(events).toEqual(['created', 'expired']);
		expect(ctx.sim.requestsTo(STATUS)).toHaveLength(1);
	});

	it('a fan who pays between the last poll and the deadline is reported paid, with the order', async () => {
		const client = simClient(ctx);
		const events: QrPayEvent[] = [];
		const timers: NodeJS.Timeout[] = [];
		// A 5 s code polled every 4 s: scanned at 3.0 s, paid at 4.3 s, after the poll at 4 s.
		const final = await client.watchQrPay({
			charge,
			render: noImage,
			intervalMs: 4000,
			validForMs: 5000,
			onEvent(event) {
				events.push(event);
				if (event.type !== 'created') return;
				timers.push(setTimeout(() => ctx.sim.state.scanQr(event.qr_token!), 3000));
				timers.push(setTimeout(() => ctx.sim.state.payQr(event.qr_token!), 4300));
			},
		});
		timers.forEach(clearTimeout);
		expect(final?.type).toBe('paid');
		expect(final?.order_no).toBe(ctx.sim.state.qrCodes.get(final!.qr_token!)?.order_no);
		expect(events.map((e) => e.type)).toEqual(['created', 'scanned', 'paid']);
	});

	it('follows a scanned code a little past its deadline, then reports it expired', async () => {
		const client = simClient(ctx);
		const events: string[] = [];
		const started = Date.now();
		await client.watchQrPay({
			charge,
			render: noImage,
			intervalMs: POLL,
			validForMs: 2000,
			onEvent(event) {
				events.push(event.type);
				if (event.type === 'created') ctx.sim.state.scanQr(event.qr_token!);
			},
		});
		expect(events).toEqual(['created', 'scanned', 'expired']);
		// Polls went on past the 2 s deadline (grace: the code's own life, here 2 s).
		const late = ctx.sim.requestsTo(STATUS).filter((r) => r.at - started >= 2000);
		expect(late.length).toBeGreaterThanOrEqual(2);
	});

	it('survives a transient poll error and still sees the payment', async () => {
		const client = simClient(ctx, { retry: { retries: 0 } });
		const pollErrors: unknown[] = [];
		const events: string[] = [];
		await client.watchQrPay({
			charge,
			render: noImage,
			intervalMs: POLL,
			onEvent(event) {
				events.push(event.type);
				if (event.type === 'created') {
					ctx.sim.injectFault({ type: 'code', code: -352, path: STATUS, times: 1 });
					ctx.sim.state.payQr(event.qr_token!);
				}
			},
			onPollError: (err) => pollErrors.push(err),
		});
		expect(pollErrors).toHaveLength(1);
		expect(events).toEqual(['created', 'paid']);
	});

	it('fails when the code cannot be created, with the reason', async () => {
		const client = simClient(ctx, { credentials: { ...ctx.sim.credentials, SESSDATA: 'expired' } });
		const events: QrPayEvent[] = [];
		const final = await client.watchQrPay({ charge, onEvent: (e) => events.push(e) });
		expect(events.map((e) => e.type)).toEqual(['failed']);
		expect(final?.error).toMatchObject({ code: -101 });
	});

	it('fails on a non-transient poll error (logged out mid-way)', async () => {
		const client = simClient(ctx);
		const events: string[] = [];
		await client.watchQrPay({
			charge,
			render: noImage,
			intervalMs: POLL,
			onEvent(event) {
				events.push(event.type);
				if (event.type === 'created')
					ctx.sim.injectFault({ type: 'code', code: -101, path: STATUS });
			},
		});
		expect(events).toEqual(['created', 'failed']);
	});

	it('stops on abort with no timer of its own left behind', async () => {
		const client = simClient(ctx);
		const controller = new AbortController();
		const events: string[] = [];
		const { result, pending } = await timersLeftBy(() =>
			client.watchQrPay({
				charge,
				render: noImage,
				intervalMs: 60_000,
				signal: controller.signal,
				onEvent: (e) => {
					events.push(e.type);
					if (e.type === 'created') setImmediate(() => controller.abort());
				},
			}),
		);
		expect(result).toBeUndefined();
		expect(events).toEqual(['created']);
		expect(pending).toBe(0);
	});
});

describe('waitForQrPayment', () => {
	it('waits through a scan and transient errors until paid', async () => {
		const client = simClient(ctx, { retry: { retries: 0 } });
		const code = await client.charge.createQrPay(charge);
		ctx.sim.state.scanQr(code.qr_token);
		ctx.sim.injectFault({ type: 'http412', path: STATUS });
		let polls = 0;
		const api: ChargeApi = {
			...client.charge,
			async getQrPayStatus(token, signal) {
				if (++polls === 3) ctx.sim.state.payQr(token);
				return client.charge.getQrPayStatus(token, signal);
			},
		};
		const errors: unknown[] = [];
		const outcome = await waitForQrPayment(api, code.qr_token, {
			intervalMs: POLL,
			onPollError: (e) => errors.push(e),
		});
		expect(outcome).toEqual({
			qr_token: code.qr_token,
			state: 'paid',
			order_no: expect.stringMatching(/^[A-Z0-9]{20}$/),
			scanned: true,
		});
		expect(errors).toHaveLength(1);
	});

	it('reports expired and timeout', async () => {
		const client = simClient(ctx);
		const code = await client.charge.createQrPay(charge);
		expect(
			await waitForQrPayment(client.charge, code.qr_token, { intervalMs: POLL, timeoutMs: 30 }),
		).toEqual({ qr_token: code.qr_token, state: 'timeout', scanned: false });
		ctx.sim.state.expireQr(code.qr_token);
		expect((await waitForQrPayment(client.charge, code.qr_token, { intervalMs: POLL })).state).toBe(
			'expired',
		);
	});
});
