import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fakeDateOnly, GATE_SCHEDULE, secondsWithRequests } from '../helpers/gateClock';
import { useSimulator } from '../helpers/sim';
import { until } from '../helpers/until';
import { collector, flowWith, helper, loadNode, useRuntime } from './redHelper';

const ctx = useSimulator();
useRuntime();
const LIST = '/x/web/elec/remark/list';

/** Waits (bounded) for a status after the first `from` that matches. */
async function statusAfter(
	statuses: Array<{ fill?: string; text?: string }>,
	match: (s: { fill?: string; text?: string }) => boolean,
	from = statuses.length - 1,
): Promise<void> {
	for (let i = 0; i < 250 && !statuses.slice(from).some(match); i++)
		await new Promise((r) => setTimeout(r, 20));
	if (!statuses.slice(from).some(match)) throw new Error('expected status did not come');
}

// The node keeps its mark by node id for the life of the process: each test watches with a node of its own.
let nextId = 0;
beforeEach(() => nextId++);

async function started(config: Record<string, unknown> = {}) {
	const loaded = await loadNode(ctx.sim, ctx.url, 'bilibili-remark-in', {
		id: `remark-in-${nextId}`,
		interval: 60,
		includeDetails: true,
		...config,
	});
	// The first poll runs at deploy.
	for (
		let i = 0;
		i < 100 && !loaded.statuses.some((s) => s.fill === 'green' || s.fill === 'red');
		i++
	)
		await new Promise((r) => setTimeout(r, 20));
	return loaded;
}

describe('bilibili-remark-in in Node-RED', () => {
	it('primes at start, then sends each new remark once, oldest first, with sender details', async () => {
		ctx.sim.addRemark({ msg: 'old' });
		const { node, out, statuses } = await started();
		expect(statuses[statuses.length - 1]).toMatchObject({
			fill: 'green',
			text: 'bilibili-remark-in.status.watching',
		});
		for (let i = 0; i < 14; i++) ctx.sim.addRemark({ msg: `n${i}`, uname: `fan${i}` });
		node.receive({});
		await out.next(14);
		expect(out.seen.map((m) => (m.payload as { msg: string }).msg)).toEqual(
			Array.from({ length: 14 }, (_, i) => `n${i}`),
		);
		expect((out.seen[0].payload as { uname: string }).uname).toBe('fan0');
		node.receive({});
		await new Promise((r) => setTimeout(r, 200));
		expect(out.seen).toHaveLength(14);
		expect(statuses[statuses.length - 1].text).toBe('bilibili-remark-in.status.new');
	});

	it('emits the latest remark once on start when asked', async () => {
		ctx.sim.addRemark({ msg: 'latest' });
		const { out } = await started({ emitLatestOnStart: true });
		expect((await out.next()).payload).toMatchObject({ msg: 'latest' });
	});

	it('a failed poll reports to Catch, shows red, and loses nothing; within the backoff nothing is sent', async () => {
		fakeDateOnly();
		try {
			const { node, out, errorMessage, statuses } = await started();
			ctx.sim.addRemark({ msg: 'kept' });
			ctx.sim.injectFault({ type: 'http500', path: LIST, times: 1 });
			node.receive({});
			expect(await errorMessage()).toContain('HTTP 500');
			expect(statuses[statuses.length - 1]).toMatchObject({ fill: 'red' });
			const requests = ctx.sim.requestsTo(LIST).length;
			node.receive({});
			await statusAfter(statuses, (s) => s.fill === 'yellow');
			expect(statuses[statuses.length - 1].text).toBe('bilibili-remark-in.status.paused');
			expect(ctx.sim.requestsTo(LIST)).toHaveLength(requests);
			jest.setSystemTime(Date.now() + 2000);
			node.receive({});
			expect((await out.next()).payload).toMatchObject({ msg: 'kept' });
		} finally {
			jest.useRealTimers();
		}
	});

	it('under a permanent error, a "check now" every second sends at most one request per 30 s after three failures', async () => {
		const { node, statuses } = await started();
		ctx.sim.injectFault({ type: 'code', code: -352, path: LIST, times: 1000 });
		const sent = await secondsWithRequests(
			() => {
				const seen = statuses.length;
				node.receive({});
				return statusAfter(statuses, (st) => st.fill === 'red' || st.fill === 'yellow', seen);
			},
			() => ctx.sim.requestsTo(LIST).length,
		);
		expect(sent).toEqual(GATE_SCHEDULE);
	});

	it('keeps the mark in node context across a redeploy, and polls no more once closed', async () => {
		const first = await started();
		ctx.sim.addRemark({ msg: 'a' });
		first.node.receive({});
		await first.out.next();
		const mark = (first.node as unknown as { context(): { get(k: string): unknown } })
			.context()
			.get('mark');
		expect(mark).toMatchObject({ id: expect.any(Number) });
		await helper.unload();
		const count = ctx.sim.requests.length;
		await new Promise((r) => setTimeout(r, 200));
		expect(ctx.sim.requests.length).toBe(count);
	});
});

describe('bilibili-remark-in across Deploys', () => {
	it('a full Deploy with the default memory context loses no remark that arrived in between', async () => {
		const first = await started();
		expect(first.statuses[first.statuses.length - 1].text).toBe(
			'bilibili-remark-in.status.watching',
		);
		// A full Deploy stops every node and starts it again with the same id.
		await helper.unload();
		ctx.sim.addRemark({ msg: 'arrived during the deploy' });
		const second = await started();
		expect((await second.out.next()).payload).toMatchObject({ msg: 'arrived during the deploy' });
	});

	it('close aborts a poll in flight at once; its remarks come with the next start instead', async () => {
		const { node, out } = await started();
		ctx.sim.addRemark({ msg: 'pending' });
		ctx.sim.injectFault({ type: 'slow', path: LIST, delayMs: 60_000 });
		node.receive({});
		while (ctx.sim.requestsTo(LIST).length < 2) await new Promise((r) => setTimeout(r, 10));
		// The slow answer would take a minute; Node-RED gives a closing node 15 s.
		await helper.unload();
		expect(out.seen).toHaveLength(0);
		ctx.sim.clearFaults();
		const again = await started();
		expect((await again.out.next()).payload).toMatchObject({ msg: 'pending' });
	});
});

describe('bilibili-remark-in across restarts, on the default memory context', () => {
	let userDir: string;
	const file = () => path.join(userDir, '.bilibili-remarks', 'watch.json');
	beforeEach(() => {
		userDir = mkdtempSync(path.join(tmpdir(), 'bilibili-remarks-'));
		helper.settings({ userDir });
	});
	afterEach(() => rmSync(userDir, { recursive: true, force: true }));
	afterAll(() => helper.settings({}));

	/** The nodes as a new Node-RED process loads them: nothing of the last run is left in memory. */
	function freshNodes(): unknown[] {
		let nodes: unknown[] = [];
		jest.isolateModules(() => {
			/* eslint-disable @typescript-eslint/no-require-imports */
			nodes = [
				require('../../dist/node-red/bilibili-config.js'),
				require('../../dist/node-red/bilibili-remark-in.js'),
			];
			/* eslint-enable @typescript-eslint/no-require-imports */
		});
		return nodes;
	}

	const watcher = (config: Record<string, unknown>) =>
		flowWith(ctx.sim, ctx.url, [
			{
				id: 'watch',
				type: 'bilibili-remark-in',
				account: 'acct',
				interval: 60,
				includeDetails: false,
				wires: [['out']],
				...config,
			},
			{ id: 'out', type: 'helper' },
		]);

	/** Node-RED started (its memory context empty) with the watcher; resolves after its first poll. */
	async function start(config: Record<string, unknown> = {}) {
		const { flow, credentials } = watcher(config);
		const polls = ctx.sim.requestsTo(LIST).length;
		await helper.load(freshNodes(), flow, credentials);
		const node = helper.getNode('watch');
		const statuses: Array<{ fill?: string }> = [];
		node.on('call:status', (call) =>
			statuses.push((call as { args: Array<{ fill?: string }> }).args[0]),
		);
		// What the file held when each message came out of the node.
		const fileAtSend: string[] = [];
		helper.getNode('out').on('input', () => fileAtSend.push(readFileSync(file(), 'utf8')));
		const out = collector(helper.getNode('out'));
		const done = (from: number) => statuses.slice(from).some((s) => s.fill !== 'blue');
		await until('the first poll', async () =>
			ctx.sim.requestsTo(LIST).length > polls && statuses.some((s) => s.fill === 'green')
				? true
				: undefined,
		);
		/** "check now", resolved when that poll has ended (its remarks sent or its error shown). */
		const poll = async () => {
			const from = statuses.length;
			node.receive({});
			await until('the poll', async () => (done(from) ? true : undefined));
		};
		return { node, out, poll, statuses, fileAtSend };
	}
	const texts = (out: { seen: Array<Record<string, unknown>> }) =>
		out.seen.map((m) => (m.payload as { msg: string }).msg);

	it('a restart sends every remark that came after the last poll, before the stop and while down, once each', async () => {
		ctx.sim.addRemark({ msg: 'old' });
		const first = await start();
		ctx.sim.addRemark({ msg: 'seen' });
		await first.poll();
		expect(texts(first.out)).toEqual(['seen']);
		ctx.sim.addRemark({ msg: 'before the stop 1' });
		ctx.sim.addRemark({ msg: 'before the stop 2' });
		await helper.unload();
		ctx.sim.addRemark({ msg: 'while down' });

		const second = await start();
		await second.poll();
		expect(texts(second.out)).toEqual(['before the stop 1', 'before the stop 2', 'while down']);
		// Each was saved before it was sent.
		const newest = ctx.sim.state.remarks.find((r) => r.msg === 'while down')!;
		expect(JSON.parse(second.fileAtSend[0])).toMatchObject({ mark: { id: newest.id } });
		await helper.unload();

		const third = await start();
		await third.poll();
		expect(third.out.seen).toEqual([]);
	});

	it('"emit the latest remark on start" fires once in the node\'s life, not at every start', async () => {
		ctx.sim.addRemark({ msg: 'latest' });
		const first = await start({ emitLatestOnStart: true });
		expect(texts(first.out)).toEqual(['latest']);
		await helper.unload();
		ctx.sim.addRemark({ msg: 'new 1' });
		ctx.sim.addRemark({ msg: 'new 2' });
		const second = await start({ emitLatestOnStart: true });
		await second.poll();
		expect(texts(second.out)).toEqual(['new 1', 'new 2']);
	});

	it('a failed poll leaves the saved mark as it was: the remark comes after the restart', async () => {
		const first = await start();
		const saved = readFileSync(file(), 'utf8');
		ctx.sim.addRemark({ msg: 'kept' });
		ctx.sim.injectFault({ type: 'http500', path: LIST, times: 1 });
		await first.poll();
		expect(first.statuses[first.statuses.length - 1]).toMatchObject({ fill: 'red' });
		expect(readFileSync(file(), 'utf8')).toBe(saved);
		await helper.unload();
		const second = await start();
		await second.poll();
		expect(texts(second.out)).toEqual(['kept']);
	});

	it('a Deploy keeps the file; deleting the node removes it', async () => {
		await start();
		const { flow, credentials } = watcher({});
		await helper.setFlows(flow, 'full', credentials);
		expect(existsSync(file())).toBe(true);
		await helper.setFlows(
			flow.filter((n) => (n as { id?: string }).id !== 'watch'),
			'full',
			credentials,
		);
		expect(existsSync(file())).toBe(false);
	});
});
