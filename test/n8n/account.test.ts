import FormData from 'form-data';
import { validateNodeDescription } from 'n8n-core/dist/nodes-loader/validate-node-description';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { IHttpRequestOptions, IVersionedNodeType } from 'n8n-workflow';
import pkg from '../../package.json';
import { loadPackage, readWorkflow, runWorkflow } from '../../dev/n8nEngine';
import { N8N_PACKAGE_DIR } from '../../dev/packageRoot';
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
			// n8n's versioned-node layout: each typeVersion is its own node type, beside the others.
			const versions = Object.values((type as IVersionedNodeType).nodeVersions ?? {});
			expect(versions.map((v) => v.description.version)).toEqual([1]);
			for (const { description } of versions) {
				expect(description.credentials?.[0].name).toBe('bilibiliApi');
				expect(() => validateNodeDescription(description)).not.toThrow();
				// n8n resolves the icon from the entry file; the resolved file is in the package.
				const iconUrl = description.iconUrl as { light: string; dark: string };
				for (const url of [iconUrl.light, iconUrl.dark])
					expect(
						existsSync(path.join(N8N_PACKAGE_DIR, url.replace('icons/n8n-nodes-bilibili/', ''))),
					).toBe(true);
			}
		}
	});
});

describe('credential dialog', () => {
	it("its notice starts with the QR login command (n8n's dialog cannot show a QR flow)", async () => {
		const loader = await loadPackage();
		const notice = loader.credentialTypes.bilibiliApi.type.properties.find(
			(p) => p.type === 'notice',
		);
		expect(notice?.displayName).toMatch(
			/^Quickest: run "npx -p @n8n-nodes-bilibili\/client bilibili-login"/,
		);
	});
});

describe('credential authenticate', () => {
	const authenticate = async (
		options: IHttpRequestOptions,
		data: Record<string, string> = { ...ctx.sim.credentials },
	) => {
		const loader = await loadPackage();
		const type = loader.credentialTypes.bilibiliApi.type;
		if (typeof type.authenticate !== 'function') throw new Error('authenticate is not a function');
		return type.authenticate(data, options);
	};

	it('puts the cookies on every request and csrf in the form body of writes only', async () => {
		const { SESSDATA, bili_jct } = ctx.sim.credentials;
		const read = await authenticate({
			url: 'https://api.bilibili.com/x/member/web/account',
			method: 'GET',
		});
		expect(read.headers?.Cookie).toContain(`SESSDATA=${SESSDATA}`);
		expect(read.body).toBeUndefined();
		const write = await authenticate({
			url: 'https://api.bilibili.com/x/member/web/sign/update',
			method: 'POST',
			body: { user_sign: 'hi' },
		});
		expect(write.body).toEqual({ user_sign: 'hi', csrf: bili_jct });
		// A csrf the caller set (n8n's HTTP Request node) is left alone.
		const own = await authenticate({
			url: 'https://api.bilibili.com/x',
			method: 'POST',
			body: { csrf: 'given' },
		});
		expect(own.body).toEqual({ csrf: 'given' });
	});

	it("signs every body n8n's HTTP Request node sends for a write: form, form data, urlencoded text", async () => {
		const { bili_jct } = ctx.sim.credentials;
		const url = 'https://api.bilibili.com/x/member/web/sign/update';
		const legacy = (extra: Record<string, unknown>) =>
			({ url, method: 'POST', ...extra }) as IHttpRequestOptions;
		expect(
			((await authenticate(legacy({ form: { user_sign: 'hi' } }))) as { form?: unknown }).form,
		).toEqual({ user_sign: 'hi', csrf: bili_jct });
		expect(
			((await authenticate(legacy({ formData: { user_sign: 'hi' } }))) as { formData?: unknown })
				.formData,
		).toEqual({ user_sign: 'hi', csrf: bili_jct });
		const text = await authenticate({
			url,
			method: 'POST',
			body: 'user_sign=hi',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		expect(new URLSearchParams(text.body as string).get('csrf')).toBe(bili_jct);
		const params = await authenticate({
			url,
			method: 'POST',
			body: new URLSearchParams({ user_sign: 'hi' }),
		});
		expect((params.body as URLSearchParams).get('csrf')).toBe(bili_jct);
		// n8n's HTTP Request node (4.2 on) builds Form-Data as a form-data instance.
		const multipart = new FormData();
		multipart.append('user_sign', 'hi');
		const signed = (await authenticate(legacy({ formData: multipart }))) as { formData?: FormData };
		expect(signed.formData?.getBuffer().toString()).toMatch(
			new RegExp(`name="csrf"\\r\\n\\r\\n${bili_jct}\\r\\n`),
		);
		// A JSON text is not a form: left as it is.
		const json = await authenticate({
			url,
			method: 'POST',
			body: '{"a":1}',
			headers: { 'content-type': 'application/json' },
		});
		expect(json.body).toBe('{"a":1}');
	});

	it("sends a browser's User-Agent (as the nodes do) unless the request names one", async () => {
		const url = 'https://api.bilibili.com/x/member/web/account';
		const plain = await authenticate({ url, method: 'GET' });
		expect(plain.headers?.['User-Agent']).toMatch(/^Mozilla\/5\.0 \(/);
		const own = await authenticate({ url, method: 'GET', headers: { 'user-agent': 'mine/1' } });
		expect(own.headers).toMatchObject({ 'user-agent': 'mine/1' });
		expect(own.headers?.['User-Agent']).toBeUndefined();
	});

	it('sends the cookies only to Bilibili or the Base URL Override', async () => {
		await expect(authenticate({ url: 'https://example.com/steal', method: 'GET' })).rejects.toThrow(
			'The Bilibili credential sends its cookies only to *.bilibili.com or its Base URL Override; refused for https://example.com',
		);
		await expect(
			authenticate({ url: 'http://api.bilibili.com.evil.test/x', method: 'GET' }),
		).rejects.toThrow(/refused for http:\/\/api\.bilibili\.com\.evil\.test/);
		const overridden = await authenticate(
			{ url: `${ctx.url}/x/member/web/account`, method: 'GET' },
			{ ...ctx.sim.credentials, baseUrl: ctx.url },
		);
		expect(overridden.headers?.Cookie).toContain('SESSDATA=');
		const relative = await authenticate({
			baseURL: 'https://api.bilibili.com',
			url: '/x/member/web/account',
			method: 'GET',
		});
		expect(relative.headers?.Cookie).toContain('SESSDATA=');
	});

	it('refuses a malformed cookie without echoing it', async () => {
		await expect(
			authenticate(
				{ url: 'https://api.bilibili.com/x', method: 'GET' },
				{ SESSDATA: 'a b;secret-value' },
			),
		).rejects.toThrow(/SESSDATA/);
		await expect(
			authenticate(
				{ url: 'https://api.bilibili.com/x', method: 'GET' },
				{ SESSDATA: 'a b;secret-value' },
			),
		).rejects.not.toThrow(/secret-value/);
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
		expect(log.slice(0, 3).map((i) => Object.keys(i.json).sort())).toEqual(
			Array(3).fill(['delta', 'reason', 'time']),
		);
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
		expect(err?.message).toBe(
			'Invalid Signature: expected at most 70 characters, got 71 characters',
		);
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
		expect(out[0].json).toMatchObject({
			error: expect.stringContaining('at most 70 characters'),
			details: { field: 'Signature' },
		});
		expect(out[1].json).toEqual({ success: true, user_sign: '好' });
		expect(ctx.sim.requestsTo('/x/member/web/sign/update')).toHaveLength(1);
	});

	it('turns a Bilibili error into a NodeApiError with the code and both explanations', async () => {
		const result = await runWorkflow(readWorkflow('account.workflow.json'), {
			credentials: {
				bilibiliApi: { ...ctx.sim.credentials, SESSDATA: 'expired-session', baseUrl: ctx.url },
			},
		});
		const err = result.error('Get Profile');
		expect(err?.name).toBe('NodeApiError');
		expect(err?.message).toContain('Bilibili -101 on account.getProfile');
		expect(err?.description).toContain('账号未登录');
		expect(JSON.stringify(err)).not.toContain('expired-session');
	});
});
