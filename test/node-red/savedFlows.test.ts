/**
 * Flows saved by release 0.1.0 (test/fixtures/node-red-0.1.0, never edited) run unchanged: each node
 * upgrades to its current config version without losing or inventing a value, and the runtime sends
 * what the saved fields say. The migration mechanism itself is checked on a made-up node with renames,
 * once as the runtime runs it and once as the editor's generated dialog code runs it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { renderEditor } from '../../node-red/editor';
import { defineNode, fieldReader, unknownFields, upgrade } from '../../node-red/fields';
import { NODE_SPECS } from '../../node-red/specs';
import type { NodeDef } from '../../node-red/types';
import { useSimulator } from '../helpers/sim';
import { collector, helper, NODES, useRuntime } from './redHelper';

const FIXTURES = path.join(__dirname, '../fixtures/node-red-0.1.0');
const read = (file: string) =>
	JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as NodeDef[];
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
const specOf = (type: string) => NODE_SPECS.find((s) => s.type === type);

const ctx = useSimulator();
useRuntime();

describe.each(files)('%s (saved by 0.1.0)', (file) => {
	it('every Bilibili node upgrades to its current version with its values as saved', () => {
		const nodes = read(file).filter((n) => specOf(n.type));
		expect(nodes.length).toBeGreaterThan(0);
		for (const saved of nodes) {
			const spec = specOf(saved.type)!;
			expect([saved.type, saved.version]).toEqual([saved.type, undefined]);
			expect([saved.type, unknownFields(spec, saved)]).toEqual([saved.type, []]);
			const { version, ...rest } = upgrade(spec, saved);
			expect(version).toBe(spec.version);
			expect(rest).toEqual(saved);
		}
	});
});

describe('editor-saved.json in the Node-RED runtime', () => {
	async function load() {
		const flow = read('editor-saved.json');
		// The saved account, pointed at the simulator: the only change a user would make.
		Object.assign(flow.find((n) => n.id === 'acct')!, {
			DedeUserID: ctx.sim.credentials.DedeUserID,
			baseUrl: ctx.url,
		});
		await helper.load(NODES, flow, {
			acct: { SESSDATA: ctx.sim.credentials.SESSDATA, bili_jct: ctx.sim.credentials.bili_jct },
		});
		return { out: collector(helper.getNode('out')), caught: collector(helper.getNode('caught')) };
	}
	const self = () => String(ctx.sim.credentials.DedeUserID);

	it('charges the saved 3 B-coins with the saved balance choice, msg filling the blank UP', async () => {
		const { out } = await load();
		helper.getNode('charge').receive({ up_mid: self(), bp_num: 9 });
		await out.next();
		const pay = ctx.sim.requestsTo('/x/ugcpay/web/v2/trade/elec/pay/quick');
		expect(pay.map((r) => [r.form.up_mid, r.form.bp_num, r.form.is_bp_remains_prior])).toEqual([
			[self(), '3', 'true'],
		]);
	});

	it('makes a QR code without the balance, as saved', async () => {
		const { out } = await load();
		helper.getNode('qrcode').receive({ up_mid: self() });
		expect((await out.next()).payload).toMatchObject({ qr_token: expect.any(String) });
		const create = ctx.sim.requestsTo('/x/ugcpay/web/v2/trade/elec/pay/qr_code/create');
		expect(create.map((r) => r.form.is_bp_remains_prior)).toEqual(['false']);
	});

	it('replies with the operation, id and text from msg (every field saved blank)', async () => {
		const remark = ctx.sim.addRemark({ msg: '加油' });
		const { out } = await load();
		helper.getNode('remark').receive({ operation: 'reply', id: remark.id, message: '谢谢' });
		expect((await out.next()).payload).toEqual({
			success: true,
			id: String(remark.id),
			msg: '谢谢',
		});
		expect(ctx.sim.state.findRemark(remark.id)).toMatchObject({ reply_msg: '谢谢' });
	});

	it('reads the profile and sends the heartbeat', async () => {
		const { out, caught } = await load();
		helper.getNode('account').receive({});
		helper.getNode('cs').receive({});
		await out.next(2);
		expect(caught.seen).toEqual([]);
		expect(ctx.sim.requestsTo('/x/member/web/account')).toHaveLength(1);
		expect(ctx.sim.requestsTo('/x/custom/session_svr/v1/heart_beat')).toHaveLength(1);
	});
});

describe('config migrations', () => {
	// A made-up third version: 1 → 2 renamed `amount` to `bp_num`, 2 → 3 split `where` into otype/oid.
	const spec = defineNode({
		type: 'bilibili-example',
		category: 'bilibili',
		version: 3,
		migrations: {
			1: (c: Record<string, unknown>) => {
				c.bp_num = c.amount;
				delete c.amount;
			},
			2: (c: Record<string, unknown>) => {
				const [otype, oid] = String(c.where ?? 'up:').split(':');
				c.otype = otype;
				c.oid = oid;
				delete c.where;
			},
		},
		fields: {
			bp_num: { type: 'number', default: 2 },
			otype: { type: 'select', options: ['up', 'archive'], default: 'up' },
			oid: { type: 'id', default: '' },
		},
	});
	const v1: NodeDef = { id: 'n', type: 'bilibili-example', amount: '5', where: 'archive:170001' };
	const upgraded = {
		id: 'n',
		type: 'bilibili-example',
		version: 3,
		bp_num: '5',
		otype: 'archive',
		oid: '170001',
	};

	it('the runtime upgrades a version 1 node step by step, and reads the upgraded fields', () => {
		const config = upgrade(spec, v1);
		expect(config).toEqual(upgraded);
		expect(v1.amount).toBe('5');
		const field = fieldReader(spec, config, {});
		expect([field('bp_num'), field('otype'), field('oid')]).toEqual(['5', 'archive', '170001']);
		// Saved at version 2: only the second step runs.
		expect(
			upgrade(spec, { id: 'n', type: 'x', version: 2, bp_num: 7, where: 'up:' }),
		).toMatchObject({
			bp_num: 7,
			otype: 'up',
		});
		expect(upgrade(spec, upgraded)).toEqual(upgraded);
	});

	it("the editor's dialog runs the same migrations and shows the upgraded values", () => {
		const html = renderEditor(spec);
		const script = html.match(/<script type="text\/javascript">([\s\S]*?)<\/script>/)![1];
		const inputs: Record<string, unknown> = {};
		let registered: { oneditprepare(this: unknown): void } | undefined;
		const $ = (selector: string) => ({
			is: () => false,
			prop: () => undefined,
			val: (v: unknown) => {
				inputs[selector] = v;
			},
		});
		const editor = readFileSync(path.join(__dirname, '../../resources/bilibili-editor.js'), 'utf8');
		const sandbox = {
			$,
			window: {} as Record<string, unknown>,
			RED: { nodes: { registerType: (_t: string, d: typeof registered) => (registered = d) } },
		};
		vm.runInNewContext(editor, sandbox);
		vm.runInNewContext(script, sandbox);
		const node = { ...v1 };
		registered!.oneditprepare.call(node);
		expect(node).toEqual(upgraded);
		expect(inputs).toEqual({
			'#node-input-bp_num': '5',
			'#node-input-otype': 'archive',
			'#node-input-oid': '170001',
		});
	});
});
