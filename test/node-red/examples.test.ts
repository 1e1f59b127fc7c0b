/** The importable example flows (Import → Examples): each explains itself on the canvas. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NODE_RED_PACKAGE_DIR, PACKAGE_ROOT } from '../../dev/packageRoot';
import type { Flow } from '../../dev/nodeRed';
import { useSimulator } from '../helpers/sim';
import { until } from '../helpers/until';
import { helper, NODES, useRuntime } from './redHelper';

const files = readdirSync(path.join(PACKAGE_ROOT, 'examples')).filter((f) => f.endsWith('.json'));

describe.each(files)('example %s', (file) => {
	const flow = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'examples', file), 'utf8')) as Array<
		Record<string, unknown>
	>;

	it('has a "How to use" comment on its tab that starts with entering the cookies', () => {
		const tab = flow.find((n) => n.type === 'tab');
		const notes = flow.filter((n) => n.type === 'comment' && n.name === 'How to use');
		expect(notes).toHaveLength(1);
		expect(notes[0].z).toBe(tab?.id);
		expect(String(notes[0].info)).toMatch(
			/^1\. Open the My Bilibili account node(:| and) enter your cookies/,
		);
	});

	it('ships in the Node-RED package, unchanged', () => {
		expect(readFileSync(path.join(NODE_RED_PACKAGE_DIR, 'examples', file), 'utf8')).toBe(
			readFileSync(path.join(PACKAGE_ROOT, 'examples', file), 'utf8'),
		);
	});
});

/* eslint-disable @typescript-eslint/no-require-imports -- Node-RED's own nodes, loaded as it loads them */
const CORE_NODES = [
	'common/20-inject',
	'common/21-debug',
	'common/90-comment',
	'function/10-function',
	'function/10-switch',
	'function/15-change',
	'function/80-template',
	'network/21-httpin',
].map((file) => require(`@node-red/nodes/core/${file}.js`));
/* eslint-enable @typescript-eslint/no-require-imports */

describe('each example imported as is, only the account filled in, and run', () => {
	const ctx = useSimulator();
	useRuntime();
	const MONEY = [
		'/x/ugcpay/web/v2/trade/elec/pay/quick',
		'/x/ugcpay/web/v2/trade/elec/pay/qr_code/create',
		'/x/ugcpay/trade/elec/message',
	];
	const LAST_REQUEST: Record<string, string> = {
		'auto-thank-new-charge-remarks.json': '/x/web/elec/remark/list',
		'customer-service-upload.json': '/x/custom/msg_svr/v1/upload',
		'daily-account-report.json': '/x/member/web/exp/reward',
	};
	/** Requests that change something at Bilibili: a charge, a QR code, a message, a reply, an upload… */
	const writes = () =>
		ctx.sim.requests.filter((r) => r.method === 'POST' && !r.path.includes('GenWebTicket'));

	/** The example as imported; the account node gets what the user types in (and the simulator's address). */
	async function deploy(file: string, edit: (flow: Flow) => void = () => {}) {
		const flow = JSON.parse(
			readFileSync(path.join(PACKAGE_ROOT, 'examples', file), 'utf8'),
		) as Flow;
		const account = flow.find((n) => n.type === 'bilibili-config')!;
		Object.assign(account, { DedeUserID: ctx.sim.credentials.DedeUserID, baseUrl: ctx.url });
		edit(flow);
		await helper.load([...NODES, ...CORE_NODES], flow, {
			[String(account.id)]: {
				SESSDATA: ctx.sim.credentials.SESSDATA,
				bili_jct: ctx.sim.credentials.bili_jct,
			},
		});
		const errors: string[] = [];
		for (const node of flow.filter((n) => String(n.type).startsWith('bilibili-')))
			helper.getNode(String(node.id))?.on('call:error', (call) => {
				const [err] = (call as { args: unknown[] }).args;
				errors.push(err instanceof Error ? err.message : String(err));
			});
		// The user presses every inject button.
		for (const inject of flow.filter((n) => n.type === 'inject'))
			helper.getNode(String(inject.id)).receive({});
		return { flow, errors };
	}

	const setMid = (mid: string) => (flow: Flow) => {
		for (const node of flow)
			if (node.type === 'bilibili-charge' || node.type === 'bilibili-qrpay')
				if ('up_mid' in node) node.up_mid = mid;
	};

	it.each(files)(
		'%s: nothing is paid; a charging example stops naming "Creator (UP) mid" and writes nothing',
		async (file) => {
			const { flow, errors } = await deploy(file);
			const asksForMid = flow.some((n) => 'up_mid' in n);
			if (asksForMid) {
				const error = await until('the error', () => errors[0]);
				expect(error).toBe(
					'Invalid "Creator (UP) mid" (up_mid): expected a positive integer (numeric strings accepted), got ""',
				);
				expect(writes()).toEqual([]);
			} else {
				// It runs as imported: its last request (a read, or the upload to your own customer service) came.
				const last = LAST_REQUEST[file];
				await until(last, () => (ctx.sim.requestsTo(last).length > 0 ? true : undefined));
				expect(errors).toEqual([]);
			}
			expect(ctx.sim.requests.filter((r) => MONEY.includes(r.path))).toEqual([]);
		},
	);

	it('monthly-bcoin-charge.json with the mid of a creator to support: charges once and leaves the message', async () => {
		const { errors } = await deploy('monthly-bcoin-charge.json', setMid('19978396'));
		const order = await until('the message', () =>
			[...ctx.sim.state.orders.values()].find((o) => o.message),
		);
		expect(order).toMatchObject({ up_mid: 19978396, bp_num: 5, message: '每月一充,支持一下!' });
		expect(ctx.sim.state.orders.size).toBe(1);
		expect(errors).toEqual([]);
	});

	it("qr-charge-kiosk.json with the creator's own mid: a code for them, paid, the payer thanked", async () => {
		const own = String(ctx.sim.credentials.DedeUserID);
		const { errors } = await deploy('qr-charge-kiosk.json', setMid(own));
		const code = await until('a code', () => [...ctx.sim.state.qrCodes.values()][0]);
		expect(code.up_mid).toBe(Number(own));
		ctx.sim.state.payQr(code.token);
		await until('the thank-you', () =>
			ctx.sim.state.orders.get(code.order_no!)?.message === '感谢扫码充电!' ? true : undefined,
		);
		expect(errors).toEqual([]);
	});
});
