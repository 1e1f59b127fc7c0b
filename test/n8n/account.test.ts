import { validateNodeDescription } from 'n8n-core/dist/nodes-loader/validate-node-description';
import type { ICredentialTestFunctions, INodeCredentialTestResult, INodeType } from 'n8n-workflow';
import pkg from '../../package.json';
import { loadPackage, readWorkflow, runWorkflow } from '../../dev/n8nEngine';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const creds = () => ({ bilibiliApi: { ...ctx.sim.credentials, baseUrl: ctx.url } });

describe('package loading', () => {
	it('loads every node and credential listed in package.json the way n8n does', async () => {
		const loader = await loadPackage();
		expect(loader.packageName).toBe('n8n-nodes-bilibili');
		expect(Object.keys(loader.nodeTypes)).toHaveLength(pkg.n8n.nodes.length);
		expect(Object.keys(loader.credentialTypes)).toEqual(['bilibiliApi']);
		for (const { type } of Object.values(loader.nodeTypes)) {
			expect((type.description as { credentials?: Array<{ name: string }> }).credentials?.[0].name).toBe('bilibiliApi');
			expect(() => validateNodeDescription((type as INodeType).description)).not.toThrow();
		}
	});
});

describe('credential test', () => {
	const test = async (data: Record<string, string>): Promise<INodeCredentialTestResult> => {
		const loader = await loadPackage();
		const node = loader.nodeTypes.bilibiliAccount.type as INodeType;
		const fn = node.methods!.credentialTest!.bilibiliApiTest;
		return fn.call({} as ICredentialTestFunctions, { id: '1', name: 'Bilibili', type: 'bilibiliApi', data: { ...data, baseUrl: ctx.url } });
	};

	it('accepts good cookies and writes nothing', async () => {
		expect(await test({ ...ctx.sim.credentials })).toEqual({ status: 'OK', message: 'Connection successful' });
		expect(ctx.sim.state.orders.size).toBe(0);
	});

	it('explains an expired SESSDATA and a mismatched bili_jct', async () => {
		expect(await test({ ...ctx.sim.credentials, SESSDATA: 'expired' })).toEqual({ status: 'Error', message: 'SESSDATA expired or wrong: log in again and copy the cookie' });
		expect((await test({ ...ctx.sim.credentials, bili_jct: 'other-session' })).message).toMatch(/^bili_jct does not match this SESSDATA/);
	});
});

describe('Bilibili Account node in a workflow', () => {
	it('runs every operation, the signature from each item by expression', async () => {
		const result = await runWorkflow(readWorkflow('account.workflow.json'), {
			credentials: creds(),
			input: [{ json: { signature: '第一条签名' } }, { json: { signature: '第二条签名' } }],
		});
		expect(result.run.status).toBe('success');
		const first = (name: string) => result.output(name)[0].json;
		expect(first('Get Profile')).toMatchObject({ mid: 293793435, uname: '社会易姐QwQ' });
		expect(first('Get Daily Exp Tasks')).toMatchObject({ coins: 30 });
		expect(first("Get Today's Coin Exp")).toEqual({ number: 20 });
		expect(first('Get VIP Info')).toMatchObject({ vip_type: 2 });
		expect(first('Get Security Info')).toMatchObject({ account_safe: { score_new: 100 } });
		expect(first('Get Real-Name Status')).toEqual({ status: 1 });
		expect(first('Get Real-Name Details')).toMatchObject({ card_type: 0 });
		// One item per coin-log entry, as its description says, each paired with the item that asked.
		const log = result.output('Get Coin Log');
		expect(log.slice(0, 3).map((i) => Object.keys(i.json).sort())).toEqual(Array(3).fill(['delta', 'reason', 'time']));
		expect(log.slice(0, 3).map((i) => i.pairedItem)).toEqual(Array(3).fill({ item: 0 }));
		const signed = result.output('Update Signature');
		expect(signed.map((i) => i.json)).toEqual([
			{ success: true, user_sign: '第一条签名' },
			{ success: true, user_sign: '第二条签名' },
		]);
		expect(signed.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(ctx.sim.state.sign).toBe('第二条签名');
	});

	it('refuses a 71-character signature with a clear error and sends nothing', async () => {
		const result = await runWorkflow(readWorkflow('account.workflow.json'), {
			credentials: creds(),
			input: [{ json: { signature: 'x'.repeat(71) } }],
		});
		const err = result.error('Update Signature');
		expect(err?.message).toBe('Invalid Signature: expected at most 70 characters, got 71 characters');
		expect(err?.name).toBe('NodeOperationError');
		expect(err?.description).toBe('Check the "Signature" parameter. Nothing was sent to Bilibili.');
		expect(ctx.sim.requestsTo('/x/member/web/sign/update')).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item becomes an error item and the good one still runs', async () => {
		const workflow = readWorkflow('account.workflow.json');
		const node = workflow.nodes.find((n) => n.name === 'Update Signature')!;
		node.onError = 'continueRegularOutput';
		const result = await runWorkflow(workflow, {
			credentials: creds(),
			input: [{ json: { signature: 'x'.repeat(71) } }, { json: { signature: '好' } }],
		});
		const out = result.output('Update Signature');
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(out[0].json).toMatchObject({ error: expect.stringContaining('at most 70 characters'), details: { field: 'Signature' } });
		expect(out[1].json).toEqual({ success: true, user_sign: '好' });
		expect(ctx.sim.requestsTo('/x/member/web/sign/update')).toHaveLength(1);
	});

	it('turns a Bilibili error into a NodeApiError with the code and both explanations', async () => {
		const result = await runWorkflow(readWorkflow('account.workflow.json'), {
			credentials: { bilibiliApi: { ...ctx.sim.credentials, SESSDATA: 'expired-session', baseUrl: ctx.url } },
		});
		const err = result.error('Get Profile');
		expect(err?.name).toBe('NodeApiError');
		expect(err?.message).toContain('Bilibili -101 on account.getProfile');
		expect(err?.description).toContain('账号未登录');
		expect(JSON.stringify(err)).not.toContain('expired-session');
	});
});
