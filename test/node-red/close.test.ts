/**
 * A Deploy (or stop) closes nodes while their writes wait in the account's pacing queue. Run on the
 * real Node-RED runtime: the remark node finishes what it queued within the close timeout, and what
 * it cannot finish is reported, one error per message, never dropped silently.
 */
import { EventEmitter } from 'node:events';
import { log } from '@node-red/util';
import { useSimulator } from '../helpers/sim';
import { helper, NODES } from './redHelper';

const ctx = useSimulator();
const REPLY = '/x/web/elec/remark/reply';

function autoThankFlow(minIntervalMs: number) {
	return {
		flow: [
			{ id: 'tab', type: 'tab', label: 'auto-thank' },
			{
				id: 'acct',
				type: 'bilibili-config',
				name: 'sim',
				DedeUserID: ctx.sim.credentials.DedeUserID,
				baseUrl: ctx.url,
				minIntervalMs,
			},
			{
				z: 'tab',
				id: 'thank',
				type: 'bilibili-remark',
				account: 'acct',
				operation: 'reply',
				message: '谢谢!',
				wires: [['out']],
			},
			{ z: 'tab', id: 'out', type: 'helper' },
		],
		credentials: {
			acct: { SESSDATA: ctx.sim.credentials.SESSDATA, bili_jct: ctx.sim.credentials.bili_jct },
		},
	};
}

/** Starts the runtime with a given close timeout (settings.js nodeCloseTimeout). */
function runtimeWith(settings: Record<string, unknown>) {
	beforeAll(() => {
		helper.settings(settings);
		return new Promise<void>((resolve) => helper.startServer(resolve));
	});
	afterAll(async () => {
		await helper.unload();
		helper.settings({});
		await new Promise<void>((resolve) => helper.stopServer(resolve));
	});
}

/** What Node-RED logs for one node from now on (a closed node's done(err) is logged as its error). */
function logOf(id: string) {
	const entries: Array<{ level?: number; id?: string; msg?: unknown }> = [];
	const handler = new EventEmitter().on('log', (e) => entries.push(e));
	log.addHandler(handler);
	const at = (level: number) =>
		entries.filter((e) => e.id === id && e.level === level).map((e) => String(e.msg));
	return {
		errors: () => at(log.ERROR),
		warnings: () => at(log.WARN),
		stop: () => log.removeHandler(handler),
	};
}

describe('a Deploy while replies wait in the pacing queue', () => {
	runtimeWith({ nodeCloseTimeout: 15_000 });

	it('finishes every queued reply before the node closes', async () => {
		const remarks = Array.from({ length: 15 }, (_, i) => ctx.sim.addRemark({ msg: `r${i}` }));
		const { flow, credentials } = autoThankFlow(150);
		await helper.load(NODES, flow, credentials);
		const node = helper.getNode('thank');
		for (const r of remarks) node.receive({ id: r.id });
		// Closed while most replies are still queued (15 at 150 ms apart take over 2 s).
		await new Promise((r) => setTimeout(r, 200));
		expect(ctx.sim.requestsTo(REPLY).length).toBeLessThan(15);
		await helper.unload();
		expect(ctx.sim.requestsTo(REPLY)).toHaveLength(15);
		expect(remarks.map((r) => ctx.sim.state.findRemark(r.id)?.reply_msg)).toEqual(
			remarks.map(() => '谢谢!'),
		);
	});
});

describe('a Deploy with more queued than the close timeout allows', () => {
	runtimeWith({ nodeCloseTimeout: 5_000 });

	it('reports each reply it could not send as an error of its own', async () => {
		const remarks = Array.from({ length: 12 }, (_, i) => ctx.sim.addRemark({ msg: `s${i}` }));
		const { flow, credentials } = autoThankFlow(1_000);
		await helper.load(NODES, flow, credentials);
		const node = helper.getNode('thank');
		const logged = logOf('thank');
		const errors = logged.errors;
		try {
			for (const r of remarks) node.receive({ id: r.id });
			await helper.unload();
			// Let the cancelled calls settle and report.
			for (let i = 0; i < 100 && ctx.sim.requestsTo(REPLY).length + errors().length < 12; i++)
				await new Promise((r) => setTimeout(r, 20));
		} finally {
			logged.stop();
		}
		const warnings = logged.warnings();
		const sent = ctx.sim.requestsTo(REPLY).length;
		expect(sent).toBeGreaterThan(0);
		expect(sent).toBeLessThan(12);
		// Every message is accounted for: sent, or reported as not sent.
		expect(sent + errors().length).toBe(12);
		for (const e of errors()) expect(e).toMatch(/ABORTED|nothing was sent|before it was sent/);
		expect(warnings.join('\n')).toMatch(
			/request\(s\) still under way were cancelled; each is reported as an error/,
		);
	});
});

describe('a Deploy while a QR code that may use the balance is being made', () => {
	runtimeWith({ nodeCloseTimeout: 5_000 });

	it('reports the code that may exist instead of ending silently', async () => {
		const CREATE = '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create';
		ctx.sim.injectFault({ type: 'slow', path: CREATE, delayMs: 2_000 });
		const { flow, credentials } = autoThankFlow(0);
		flow.splice(
			2,
			2,
			{
				z: 'tab',
				id: 'kiosk',
				type: 'bilibili-qrpay',
				account: 'acct',
				up_mid: String(ctx.sim.credentials.DedeUserID),
				bp_num: 5,
				preferBalance: true,
				interval: 3,
				wires: [['out']],
			} as never,
			{ z: 'tab', id: 'out', type: 'helper' } as never,
		);
		await helper.load(NODES, flow, credentials);
		const logged = logOf('kiosk');
		try {
			helper.getNode('kiosk').receive({});
			for (let i = 0; i < 100 && ctx.sim.requestsTo(CREATE).length === 0; i++)
				await new Promise((r) => setTimeout(r, 20));
			await helper.unload();
		} finally {
			logged.stop();
		}
		const errors = logged.errors();
		expect(errors).toHaveLength(1);
		expect(errors[0]).toContain('OUTCOME_UNKNOWN');
	});
});
