/**
 * Two separate processes, each running the built client, charge one simulated account until the
 * minimum balance stops them. Neither knows of the other (each has its own spending ledger): only the
 * wallet, read before every charge, keeps the floor. The one race left is two processes reading the
 * wallet at the same moment; its bound is one charge per other process.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BilibiliSimulator } from '../../simulator';

const BUILT = path.resolve(__dirname, '../../dist/index.js');
const FLOOR = 50;
const BP = 5;

/** Charges BP B-coins again and again until refused; prints what happened as one JSON line. */
const CHILD = `
const { BilibiliClient } = require(process.env.BUILT);
const client = new BilibiliClient({
	credentials: JSON.parse(process.env.CREDENTIALS),
	baseUrl: process.env.SIM_URL,
	rateLimit: false,
	spendingLimits: { maxPerCharge: 50, maxPer24h: 1000000, minBcoinBalance: Number(process.env.FLOOR) },
});
(async () => {
	let charged = 0;
	for (;;) {
		try {
			await client.charge.chargeWithBcoin({ up_mid: 1, bp_num: Number(process.env.BP) });
			charged++;
		} catch (err) {
			console.log(JSON.stringify({ charged, name: err.name, limit: err.limit, message: err.message }));
			break;
		}
	}
	client.close();
})();
`;

function charger(env: Record<string, string>): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['-e', CHILD], {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (c) => (out += c));
		child.stderr.on('data', (c) => (err += c));
		child.once('error', reject);
		child.once('exit', (code) => {
			if (code !== 0) return reject(new Error(`child exited ${code}: ${err}`));
			resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>);
		});
	});
}

describe('minimum balance across processes', () => {
	let sim: BilibiliSimulator;
	let url: string;
	beforeAll(async () => {
		sim = new BilibiliSimulator({ balance: 100 });
		url = await sim.start();
	});
	afterAll(() => sim.stop());

	it('two processes charging one account stop at the floor, at most one charge of the other below it', async () => {
		const env = {
			BUILT,
			SIM_URL: url,
			CREDENTIALS: JSON.stringify(sim.credentials),
			FLOOR: String(FLOOR),
			BP: String(BP),
		};
		const results = await Promise.all([charger(env), charger(env)]);
		for (const r of results) {
			expect(r).toMatchObject({ name: 'BilibiliSpendingLimitError', limit: 'minBcoinBalance' });
			expect(r.message).toContain('Nothing was sent');
		}
		const charged = results.reduce((n, r) => n + Number(r.charged), 0);
		const paid = sim.requestsTo('/x/ugcpay/web/v2/trade/elec/pay/quick');
		// Every charge sent was made: no refused charge reached Bilibili.
		expect(paid).toHaveLength(charged);
		expect(sim.state.balance).toBe(100 - charged * BP);
		// Each stopped on reading a balance below FLOOR + BP, so the end is below that; the race (both
		// reading the same balance) can take it below the floor by at most one charge of the other process.
		expect(sim.state.balance).toBeLessThan(FLOOR + BP);
		expect(sim.state.balance).toBeGreaterThanOrEqual(FLOOR - BP);
	});
});
