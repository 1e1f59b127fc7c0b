/** node-red-node-test-helper on the real Node-RED runtime, with this package's built nodes. */
import helper from 'node-red-node-test-helper';
import type { BilibiliSimulator } from '../../simulator';

helper.init(require.resolve('node-red'));

/* eslint-disable @typescript-eslint/no-require-imports -- the nodes are loaded as Node-RED loads them: built CommonJS */
export const NODES = [
	require('../../dist/node-red/bilibili-config.js'),
	require('../../dist/node-red/bilibili-charge.js'),
	require('../../dist/node-red/bilibili-qrpay.js'),
	require('../../dist/node-red/bilibili-remark.js'),
	require('../../dist/node-red/bilibili-remark-in.js'),
	require('../../dist/node-red/bilibili-account.js'),
	require('../../dist/node-red/bilibili-customer-service.js'),
	// Node-RED's own Catch node, so errors are seen the way a flow sees them.
	require('@node-red/nodes/core/common/25-catch.js'),
];
/* eslint-enable @typescript-eslint/no-require-imports */

export { helper };

export function useRuntime() {
	beforeAll(() => new Promise<void>((resolve) => helper.startServer(resolve)));
	afterEach(async () => {
		await helper.unload();
	});
	afterAll(() => new Promise<void>((resolve) => helper.stopServer(resolve)));
}

/** A config node plus the nodes under test, with the simulator's cookies as credentials. */
export function flowWith(
	sim: BilibiliSimulator,
	url: string,
	nodes: Array<Record<string, unknown>>,
) {
	// A tab of their own, so a Catch node in it sees their errors as in a real flow.
	const flow = [
		{ id: 'tab', type: 'tab', label: 'test' },
		{
			id: 'acct',
			type: 'bilibili-config',
			name: 'sim',
			DedeUserID: sim.credentials.DedeUserID,
			baseUrl: url,
		},
		...nodes.map((n) => ({ z: 'tab', ...n })),
	];
	const credentials = {
		acct: { SESSDATA: sim.credentials.SESSDATA, bili_jct: sim.credentials.bili_jct },
	};
	return { flow, credentials };
}

/**
 * A B-coin charge node (`id`, to mid 2) on the account, with its output (`out`) and a Catch node's
 * (`caught`) in one tab; `account` sets the account node's own settings (limits, minimum balance).
 */
export function chargeFlowWith(
	sim: BilibiliSimulator,
	url: string,
	account: Record<string, unknown>,
	id = 'c',
) {
	const built = flowWith(sim, url, [
		{
			id,
			type: 'bilibili-charge',
			account: 'acct',
			operation: 'chargeWithBcoin',
			up_mid: '2',
			wires: [['out']],
		},
		{ id: 'out', type: 'helper' },
		{ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
		{ id: 'caught', type: 'helper' },
	]);
	Object.assign(built.flow[1], account);
	return built;
}

export interface RedNode {
	receive(msg: Record<string, unknown>): void;
	on(event: string, fn: (...args: unknown[]) => void): void;
	status: jest.Mock | ((...args: unknown[]) => void);
}

/** Messages arriving at a helper node, read in order: next() is the next unread one, next(n) the n-th. */
export function collector(node: RedNode) {
	const seen: Array<Record<string, unknown>> = [];
	let read = 0;
	node.on('input', (msg) => seen.push(msg as Record<string, unknown>));
	return {
		seen,
		async next(count = read + 1, ms = 5000): Promise<Record<string, unknown>> {
			const end = Date.now() + ms;
			while (seen.length < count && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
			if (seen.length < count) throw new Error(`expected ${count} messages, got ${seen.length}`);
			read = Math.max(read, count);
			return seen[count - 1];
		},
	};
}

/** Loads one node of `type` wired to a helper, with a Catch node on the same tab. */
export async function loadNode(
	sim: BilibiliSimulator,
	url: string,
	type: string,
	config: Record<string, unknown>,
) {
	const id = (config.id as string | undefined) ?? 'n1';
	const { flow, credentials } = flowWith(sim, url, [
		{ id, type, account: 'acct', wires: [['out']], ...config },
		{ id: 'out', type: 'helper' },
		{ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
		{ id: 'caught', type: 'helper' },
	]);
	await helper.load(NODES, flow, credentials);
	const node = helper.getNode(id);
	const statuses: Array<{ fill?: string; shape?: string; text?: string }> = [];
	node.on('call:status', (call) =>
		statuses.push((call as { args: Array<{ text?: string }> }).args[0]),
	);
	const warnings: string[] = [];
	node.on('call:warn', (call) => warnings.push(String((call as { args: unknown[] }).args[0])));
	const caught = collector(helper.getNode('caught'));
	return {
		node,
		warnings,
		out: collector(helper.getNode('out')),
		caught,
		statuses,
		/** The message of the n-th error a Catch node saw. */
		errorMessage: async (n = 1) => ((await caught.next(n)).error as { message: string }).message,
	};
}
