/**
 * The account's 24-hour spending survives a restart: kept per account in the user directory
 * (`.bilibili-spending/<account id>.json`). A restart is a fresh module graph here (a fresh process
 * ledger, as a new Node-RED process has); the real Node-RED restart is in e2e.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useSimulator } from '../helpers/sim';
import { chargeFlowWith, collector, helper, useRuntime } from './redHelper';

const ctx = useSimulator();
useRuntime();
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
let userDir: string;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Node-RED's own Catch node
const CATCH: unknown = require('@node-red/nodes/core/common/25-catch.js');

beforeEach(() => {
	userDir = mkdtempSync(path.join(tmpdir(), 'bilibili-spending-'));
	helper.settings({ userDir });
});
afterEach(() => rmSync(userDir, { recursive: true, force: true }));
afterAll(() => helper.settings({}));

/** The package's nodes as a newly started Node-RED loads them: nothing counted in memory yet. */
function freshProcessNodes(): unknown[] {
	let nodes: unknown[] = [];
	jest.isolateModules(() => {
		/* eslint-disable @typescript-eslint/no-require-imports -- built CommonJS, as Node-RED loads it */
		nodes = [
			require('../../dist/node-red/bilibili-config.js'),
			require('../../dist/node-red/bilibili-charge.js'),
		];
		/* eslint-enable @typescript-eslint/no-require-imports */
	});
	return [...nodes, CATCH];
}

async function start() {
	const { flow, credentials } = chargeFlowWith(
		ctx.sim,
		ctx.url,
		{ maxBcoinPerCharge: 5, maxBcoinPer24h: 10 },
		'charge',
	);
	await helper.load(freshProcessNodes(), flow, credentials);
	return {
		charge: helper.getNode('charge'),
		out: collector(helper.getNode('out')),
		caught: collector(helper.getNode('caught')),
	};
}

describe('the 24-hour spending across a restart', () => {
	it('limit 10 a day, two charges of 5, restart: the third charge of 5 is refused before sending', async () => {
		const before = await start();
		before.charge.receive({ bp_num: 5 });
		await before.out.next();
		before.charge.receive({ bp_num: 5 });
		await before.out.next(2);
		await helper.unload();

		const after = await start();
		after.charge.receive({ bp_num: 5 });
		expect(((await after.caught.next()).error as { message: string }).message).toContain(
			'10 B-coins were charged from this account in the last 24 hours; 5 more would pass the maximum of 10 per 24 hours',
		);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(2);
		expect(ctx.sim.state.balance).toBe(90);

		const file = path.join(userDir, '.bilibili-spending', 'acct.json');
		const text = readFileSync(file, 'utf8');
		expect(JSON.parse(text).charges.map((c: { bp: number }) => c.bp)).toEqual([5, 5]);
		for (const secret of [ctx.sim.credentials.SESSDATA, ctx.sim.credentials.bili_jct])
			expect(text).not.toContain(secret);
	});

	it('a charge Bilibili refused gives its B-coins back in the file too', async () => {
		const before = await start();
		ctx.sim.state.balance = 3;
		before.charge.receive({ bp_num: 5 });
		await before.caught.next();
		await helper.unload();
		ctx.sim.state.balance = 100;

		const after = await start();
		after.charge.receive({ bp_num: 5 });
		await after.out.next();
		after.charge.receive({ bp_num: 5 });
		await after.out.next(2);
		expect(ctx.sim.state.balance).toBe(90);
		expect(existsSync(path.join(userDir, '.bilibili-spending', 'acct.json'))).toBe(true);
	});
});
