import { useSimulator } from '../helpers/sim';
import { helper, loadNode, NODES, useRuntime } from './redHelper';

const ctx = useSimulator();
useRuntime();
const load = (config: Record<string, unknown>) =>
	loadNode(ctx.sim, ctx.url, 'bilibili-account', config);

describe('bilibili-account in Node-RED', () => {
	it.each([
		['getProfile', { mid: 293793435 }],
		['getDailyExpTasks', { coins: 30 }],
		['getTodayCoinExp', { number: 20 }],
		['getVipInfo', { vip_type: 2 }],
		['getSecurityInfo', { account_safe: { score_new: 100 } }],
		['getRealnameStatus', { status: 1 }],
		['getRealnameDetails', { card_type: 0 }],
		['getCoinLog', { count: 3 }],
	])('%s', async (operation, expected) => {
		const { node, out, statuses } = await load({ operation });
		node.receive({});
		expect((await out.next()).payload).toMatchObject(expected);
		// Short texts from the catalogue (the test runtime shows the keys; Node-RED shows them translated).
		expect(statuses[0]).toMatchObject({ fill: 'blue', text: 'bilibili-account.status.working' });
		expect(statuses[statuses.length - 1]).toMatchObject({ fill: 'green' });
	});

	it('updates the signature from msg.payload, and refuses 71 characters before sending', async () => {
		const { node, out, errorMessage } = await load({ operation: 'updateSignature' });
		node.receive({ payload: '新签名' });
		expect((await out.next()).payload).toEqual({ success: true, user_sign: '新签名' });
		expect(ctx.sim.state.sign).toBe('新签名');
		node.receive({ signature: 'x'.repeat(71) });
		expect(await errorMessage()).toContain(
			'Invalid user_sign: expected at most 70 characters, got 71 characters',
		);
		expect(ctx.sim.requestsTo('/x/member/web/sign/update')).toHaveLength(1);
	});

	it("refuses a payload that is not text (an Inject node's timestamp) instead of wiping the signature; an empty string clears it", async () => {
		ctx.sim.state.sign = '旧签名';
		const { node, out, errorMessage } = await load({ operation: 'updateSignature' });
		node.receive({ payload: 1764633600000 });
		expect(await errorMessage()).toContain(
			'Invalid "Signature (≤70 chars)" (signature): expected text in the Signature field, msg.signature or msg.payload (an empty string clears the signature), got 1764633600000',
		);
		node.receive({});
		expect(await errorMessage(2)).toContain('Invalid "Signature (≤70 chars)" (signature)');
		expect(ctx.sim.requestsTo('/x/member/web/sign/update')).toHaveLength(0);
		expect(ctx.sim.state.sign).toBe('旧签名');
		node.receive({ payload: '' });
		expect((await out.next()).payload).toEqual({ success: true, user_sign: '' });
		expect(ctx.sim.state.sign).toBe('');
	});

	it('keeps cookies out of errors, status and the runtime log; an expired SESSDATA is explained', async () => {
		const flow = [
			{ id: 'tab', type: 'tab' },
			{ id: 'acct', type: 'bilibili-config', baseUrl: ctx.url },
			{
				id: 'n1',
				z: 'tab',
				type: 'bilibili-account',
				account: 'acct',
				operation: 'getProfile',
				wires: [[]],
			},
		];
		await helper.load(NODES, flow, {
			acct: { SESSDATA: 'expired-sessdata-value', bili_jct: 'some-csrf-value' },
		});
		const n1 = helper.getNode('n1');
		const errors: string[] = [];
		const statuses: unknown[] = [];
		n1.on('call:status', (call) => statuses.push((call as { args: unknown[] }).args[0]));
		n1.on('call:error', (call) => errors.push(String((call as { args: unknown[] }).args[0])));
		n1.receive({});
		for (let i = 0; i < 100 && errors.length === 0; i++)
			await new Promise((r) => setTimeout(r, 20));
		expect(errors[0]).toContain('Bilibili -101 on account.getProfile: Not logged in');
		const log = JSON.stringify(helper.log().args);
		for (const secret of [
			'expired-sessdata-value',
			'some-csrf-value',
			ctx.sim.credentials.SESSDATA,
			ctx.sim.credentials.bili_jct,
		]) {
			expect(log).not.toContain(secret);
			expect(JSON.stringify(statuses)).not.toContain(secret);
		}
	});
});
