import { helper, NODES, chargeFlowWith, collector, flowWith, useRuntime } from './redHelper';
import { useSimulator } from '../helpers/sim';
import { startProxy } from '../helpers/proxy';

// Node-RED's own http proxy config node, as the core http request node uses it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded as Node-RED loads it
const HTTP_PROXY_NODE = require('@node-red/nodes/core/network/06-httpproxy.js');

const ctx = useSimulator();
useRuntime();
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';

async function loadTwo(config: Record<string, unknown>, nodeConfig: Record<string, unknown>) {
	const { flow, credentials } = flowWith(ctx.sim, ctx.url, [
		{ id: 'a', type: 'bilibili-account', account: 'acct', wires: [['out']], ...nodeConfig },
		{ id: 'b', type: 'bilibili-account', account: 'acct', wires: [['out']], ...nodeConfig },
		{ id: 'out', type: 'helper' },
		{ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
		{ id: 'caught', type: 'helper' },
	]);
	Object.assign(flow[1], config);
	await helper.load(NODES, flow, credentials);
	return {
		a: helper.getNode('a'),
		b: helper.getNode('b'),
		out: collector(helper.getNode('out')),
		caught: collector(helper.getNode('caught')),
	};
}

describe('bilibili-config', () => {
	it('gives every node of the account one client, so its pacing holds across nodes', async () => {
		const { a, b, out } = await loadTwo({ minIntervalMs: 600 }, { operation: 'getProfile' });
		// A first request also loads the HTTP library and opens the connection: measured from the next.
		a.receive({});
		await out.next(1);
		a.receive({});
		b.receive({});
		a.receive({});
		await out.next(4);
		const starts = ctx.sim
			.requestsTo('/x/member/web/account')
			.map((r) => r.at)
			.slice(1);
		expect(starts).toHaveLength(3);
		// Pacing spaces the starts of the sends; the simulator sees arrivals, which a loaded machine can
		// delay unevenly (a first request opening its connection arrives later than a second reusing it).
		// Unpaced, the three arrive within milliseconds; paced, at least 600 ms apart less that jitter.
		for (let i = 1; i < starts.length; i++)
			expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(450);
	});

	it('applies the spending limits set on the account to every node', async () => {
		// An account of its own, so the process-wide ledger starts empty for it.
		const { flow, credentials } = chargeFlowWith(ctx.sim, ctx.url, {
			DedeUserID: '700000001',
			maxBcoinPerCharge: 10,
			maxBcoinPer24h: 15,
		});
		await helper.load(NODES, flow, credentials);
		const out = collector(helper.getNode('out'));
		const caught = collector(helper.getNode('caught'));
		const charge = helper.getNode('c');
		charge.receive({ bp_num: 11 });
		expect(((await caught.next()).error as { message: string }).message).toContain(
			'over the maximum per charge (10)',
		);
		charge.receive({ bp_num: 10 });
		await out.next();
		charge.receive({ bp_num: 10 });
		expect(((await caught.next(2)).error as { message: string }).message).toContain(
			'10 B-coins were charged from this account in the last 24 hours',
		);
		expect(ctx.sim.requestsTo(PAY_QUICK).map((r) => r.form.bp_num)).toEqual(['10']);
	});

	it('keeps the minimum balance set on the account: a charge leaving less is refused unsent', async () => {
		const { flow, credentials } = chargeFlowWith(ctx.sim, ctx.url, { minBcoinBalance: 95 });
		await helper.load(NODES, flow, credentials);
		const out = collector(helper.getNode('out'));
		const caught = collector(helper.getNode('caught'));
		const charge = helper.getNode('c');
		charge.receive({ bp_num: 5 });
		await out.next();
		charge.receive({ bp_num: 2 });
		expect(((await caught.next()).error as { message: string }).message).toContain(
			'the B-coin balance is 95; a charge of 2 would leave 93, below the minimum balance to keep (95)',
		);
		expect(ctx.sim.requestsTo(PAY_QUICK).map((r) => r.form.bp_num)).toEqual(['5']);
		expect(ctx.sim.state.balance).toBe(95);
	});
});

describe('bilibili-config with an http proxy config node', () => {
	const cleanUp: Array<() => Promise<void>> = [];
	afterEach(async () => {
		for (const f of cleanUp.splice(0)) await f();
	});

	it("sends every request of the account through Node-RED's http proxy node, with its credentials", async () => {
		const proxy = await startProxy({ credentials: 'red:pa55' });
		cleanUp.push(() => proxy.close());
		const { flow, credentials } = flowWith(ctx.sim, ctx.url, [
			{
				id: 'a',
				type: 'bilibili-account',
				account: 'acct',
				operation: 'getProfile',
				wires: [['out']],
			},
			{ id: 'px', type: 'http proxy', url: proxy.url, noproxy: [] },
			{ id: 'out', type: 'helper' },
		]);
		Object.assign(flow[1], { proxy: 'px' });
		await helper.load([...NODES, HTTP_PROXY_NODE], flow, {
			...credentials,
			px: { username: 'red', password: 'pa55' },
		});
		const out = collector(helper.getNode('out'));
		helper.getNode('a').receive({});
		const msg = await out.next(1);
		expect(msg.payload).toMatchObject({ mid: expect.anything() });
		expect(proxy.seen).toEqual([
			expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/x\/member\/web\/account/),
		]);
	});

	it('a proxy that refuses the account: the charge fails as not sent, the proxy never named', async () => {
		const proxy = await startProxy({ credentials: 'red:right' });
		cleanUp.push(() => proxy.close());
		const before = ctx.sim.state.balance;
		const { flow, credentials } = flowWith(ctx.sim, ctx.url, [
			{
				id: 'c',
				type: 'bilibili-charge',
				account: 'acct',
				operation: 'chargeWithBcoin',
				up_mid: '2',
				wires: [['out']],
			},
			{ id: 'px', type: 'http proxy', url: proxy.url, noproxy: [] },
			{ id: 'out', type: 'helper' },
			{ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', type: 'helper' },
		]);
		Object.assign(flow[1], { proxy: 'px', DedeUserID: '700000002' });
		await helper.load([...NODES, HTTP_PROXY_NODE], flow, {
			...credentials,
			px: { username: 'red', password: 'wrong-pa55' },
		});
		const caught = collector(helper.getNode('caught'));
		helper.getNode('c').receive({ bp_num: 2 });
		const msg = await caught.next(1);
		const text = JSON.stringify(msg.error);
		expect(text).toMatch(/proxy refused/);
		expect(text).not.toContain('wrong-pa55');
		expect(text).not.toContain(new URL(proxy.url).port);
		expect(ctx.sim.state.balance).toBe(before);
	});
});
