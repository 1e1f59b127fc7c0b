import { BilibiliClient, type BilibiliClientOptions } from '../../index';
import { forgetBalanceHolds } from '../../client/balanceFloor';
import { BilibiliSimulator, type SimulatorOptions } from '../../simulator';
import { testRuntime } from './runtimes';

/** Starts a simulator; stopped after the enclosing describe block. */
export function useSimulator(options: SimulatorOptions = {}) {
	const ctx = {} as { sim: BilibiliSimulator; url: string; clients: BilibiliClient[] };
	beforeAll(async () => {
		ctx.sim = new BilibiliSimulator(options);
		ctx.url = await ctx.sim.start();
		ctx.clients = [];
	});
	beforeEach(() => {
		ctx.sim.reset();
		// A reset puts a new wallet under the same account: what this process held against the old one goes.
		forgetBalanceHolds();
	});
	afterEach(() => {
		for (const c of ctx.clients.splice(0)) c.close();
	});
	afterAll(() => ctx.sim.stop());
	return ctx;
}

/** A client on the simulator: no pacing, quick retries, so tests stay fast and deterministic. */
export function simClient(
	ctx: { sim: BilibiliSimulator; url: string; clients: BilibiliClient[] },
	overrides: Partial<BilibiliClientOptions> = {},
): BilibiliClient {
	const credentials = overrides.credentials ?? ctx.sim.credentials;
	const client = new BilibiliClient({
		credentials,
		runtime:
			overrides.runtime ??
			testRuntime(
				credentials,
				Object.hasOwn(overrides, 'baseUrl') ? String(overrides.baseUrl) : ctx.url,
			),
		baseUrl: ctx.url,
		rateLimit: false,
		retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 4 },
		timeoutMs: 2000,
		// The guard has its own tests; here every file charges freely through one process-wide ledger.
		spendingLimits: { maxPerCharge: 9999, maxPer24h: 1_000_000 },
		...overrides,
	});
	ctx.clients.push(client);
	return client;
}
