import nock from 'nock';
import { BilibiliClient, type BilibiliClientOptions } from '../../index';

export const COOKIES = {
	SESSDATA: 'unit-sessdata-4d2c%2C1799999999%2Cabcdef*11',
	bili_jct: 'unit-bili-jct-9a8b7c6d5e4f3a2b',
	DedeUserID: '293793435',
};

export const API = 'https://api.bilibili.com';
export const MEMBER = 'https://member.bilibili.com';
export const WWW = 'https://www.bilibili.com';
export const PASSPORT = 'https://passport.bilibili.com';
export const CS = 'https://customerservice.bilibili.com';

const clients: BilibiliClient[] = [];

export function unitClient(overrides: Partial<BilibiliClientOptions> = {}): BilibiliClient {
	const client = new BilibiliClient({
		credentials: COOKIES,
		rateLimit: false,
		retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 },
		// The guard has its own tests; here every file charges freely through one process-wide ledger.
		spendingLimits: { maxPerCharge: 9999, maxPer24h: 1_000_000 },
		...overrides,
	});
	clients.push(client);
	return client;
}

/** Real HTTP is off; every test must leave no interceptor unused. */
export function useNock() {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => {
		const pending = nock.pendingMocks();
		nock.cleanAll();
		for (const c of clients.splice(0)) c.close();
		expect(pending).toEqual([]);
	});
	afterAll(() => {
		nock.enableNetConnect();
		// nock patches Node's shared http module; undo it so later test files in this worker use real sockets.
		nock.restore();
	});
}

/** An x-www-form-urlencoded request body as nock hands it to a body matcher (already parsed). */
export function form(body: unknown): Record<string, string> {
	return typeof body === 'string'
		? Object.fromEntries(new URLSearchParams(body))
		: { ...(body as Record<string, string>) };
}
