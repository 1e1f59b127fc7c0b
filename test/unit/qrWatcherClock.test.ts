/**
 * The QR watcher on Jest's fake clock: when it looks, and what it makes of an answer. A code valid 5 s,
 * polled every 2 s, scanned at 3.0 s and paid at 4.3 s (reported expired before: looked at 4.0 s and
 * next at 6.0 s, when the answer said expired though it carried the order number).
 */
import { chargeApi } from '../../client/charge';
import { BilibiliApiError } from '../../client/errors';
import { watchQrPay, type ChargeApi, type QrPayEvent } from '../../index';

const TOKEN = 'c7cbdc47fc424cd18f2146db653597b8';
const ORDER = 'BPTD36U3KP82I31RSSLG';
const VALID_MS = 5000;

/**
 * The client's charge API over a fake Bilibili on the fake clock: not scanned, scanned at 3.0 s, paid at
 * 4.3 s; after the code's time an answer without status (expired), carrying the order once paid.
 * `fail(t)` makes the look at t ms a passing server error.
 */
function fakeBilibili(fail: (t: number) => boolean = () => false) {
	const start = Date.now();
	const looks: number[] = [];
	const data = (t: number) => {
		const paid = t >= 4300;
		if (t > VALID_MS) return { qr_token: TOKEN, mid: 1, ...(paid ? { order_no: ORDER } : {}) };
		if (paid) return { qr_token: TOKEN, order_no: ORDER, mid: 1, status: 1 };
		return { qr_token: TOKEN, mid: 1, status: t >= 3000 ? 3 : 2 };
	};
	const transport = {
		sleep: (ms: number, signal?: AbortSignal) =>
			new Promise<void>((resolve, reject) => {
				const timer = setTimeout(resolve, ms);
				signal?.addEventListener('abort', () => {
					clearTimeout(timer);
					reject(new Error('aborted'));
				});
			}),
		async request(endpoint: { name: string }) {
			if (endpoint.name === 'charge.createQrPay')
				return { code: 0, data: { qr_code_url: `https://qr.invalid/${TOKEN}`, qr_token: TOKEN } };
			const t = Date.now() - start;
			looks.push(t);
			if (fail(t)) throw new BilibiliApiError({ code: -500, endpoint: endpoint.name });
			return { code: 0, data: data(t) };
		},
	};
	return { api: chargeApi(transport as never) as ChargeApi, looks };
}

async function watch(api: ChargeApi): Promise<{ final?: QrPayEvent; types: string[] }> {
	const types: string[] = [];
	const done = watchQrPay(api, {
		charge: { up_mid: 2, bp_num: 5 },
		render: [],
		intervalMs: 2000,
		validForMs: VALID_MS,
		onEvent: (e) => types.push(e.type),
	});
	await jest.advanceTimersByTimeAsync(60_000);
	return { final: await done, types };
}

describe('watchQrPay on a fake clock', () => {
	beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-04T12:00:00Z') }));
	afterEach(() => jest.useRealTimers());

	it('valid 5 s, polled every 2 s, paid at 4.3 s: the last look is exactly at 5.0 s and sees it paid', async () => {
		const { api, looks } = fakeBilibili();
		const { final, types } = await watch(api);
		expect(looks).toEqual([2000, 4000, 5000]);
		expect(types).toEqual(['created', 'scanned', 'paid']);
		expect(final).toMatchObject({ type: 'paid', order_no: ORDER });
	});

	it('an answer after the deadline that says expired but carries the order number is paid', async () => {
		// The look at 5.0 s fails; the next, in the scanned code's grace, gets the expired-looking answer.
		const { api, looks } = fakeBilibili((t) => t === VALID_MS);
		const { final, types } = await watch(api);
		expect(looks).toEqual([2000, 4000, 5000, 7000]);
		expect(types).toEqual(['created', 'scanned', 'paid']);
		expect(final).toMatchObject({ type: 'paid', order_no: ORDER });
	});

	it('an unpaid code still ends expired at the deadline', async () => {
		const { api, looks } = fakeBilibili((t) => t >= 4000);
		const types: string[] = [];
		const done = watchQrPay(api, {
			charge: { up_mid: 2, bp_num: 5 },
			render: [],
			intervalMs: 2000,
			validForMs: 1000,
			onEvent: (e) => types.push(e.type),
		});
		await jest.advanceTimersByTimeAsync(60_000);
		expect((await done)?.type).toBe('expired');
		expect(looks).toEqual([1000]);
	});
});
