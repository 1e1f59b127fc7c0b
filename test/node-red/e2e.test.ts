/**
 * End to end on a real Node-RED runtime: this package packed into a tarball and installed into a fresh
 * user directory as the palette manager would, Node-RED started on a free loopback port, an example
 * flow deployed through the Admin HTTP API, and its effect observed on the simulator.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BilibiliClient } from '../../index';
import { SIM_REFRESH_TOKEN } from '../../simulator/state';
import { useSimulator } from '../helpers/sim';
import { until } from '../helpers/until';
import {
	configureExamples,
	exampleFlows,
	freePort,
	spawnNodeRed,
	stopNodeRed,
} from '../../dev/nodeRed';
import { CLIENT_PACKAGE_DIR, NODE_RED_PACKAGE_DIR } from '../../dev/packageRoot';

jest.setTimeout(180_000);
const ctx = useSimulator();
const ROOT = path.resolve(__dirname, '../..');
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
// The oldest and newest Node-RED major versions the package.json "node-red" section claims.
const RUNTIMES: Array<[string, string]> = [
	['Node-RED 4', 'node-red-4/red.js'],
	['Node-RED 5', 'node-red/red.js'],
];

describe.each(RUNTIMES)('%s with the packed package', (_name, redJs) => {
	const dir = mkdtempSync(path.join(tmpdir(), 'bilibili-e2e-'));
	const userDir = path.join(dir, 'user');
	let red: ChildProcess | undefined;
	let base = '';

	const api = (p: string, init?: RequestInit) =>
		fetch(base + p, {
			...init,
			headers: {
				'Content-Type': 'application/json',
				Accept: 'application/json',
				'Node-RED-API-Version': 'v2',
				...init?.headers,
			},
		});

	beforeAll(async () => {
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		// The client package is not on the registry here: its tarball is installed alongside.
		const tarballs = [CLIENT_PACKAGE_DIR, NODE_RED_PACKAGE_DIR].map((cwd) =>
			path.join(
				dir,
				execFileSync(npm, ['pack', '--silent', '--pack-destination', dir], {
					cwd,
					encoding: 'utf8',
				})
					.trim()
					.split('\n')
					.pop()!,
			),
		);
		writeFileSync(path.join(dir, 'package.json'), '{}');
		execFileSync(
			npm,
			[
				'install',
				'--prefix',
				userDir,
				'--no-audit',
				'--no-fund',
				'--omit=dev',
				'--omit=peer',
				...tarballs,
			],
			{ stdio: 'ignore' },
		);
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		writeFileSync(
			path.join(userDir, 'settings.js'),
			`module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: 'e2e-secret', logging: { console: { level: 'warn' } } };`,
		);
		red = spawnNodeRed(userDir, require.resolve(redJs));
		await until('Node-RED', async () => ((await api('/settings')).ok ? true : undefined));
	});

	afterAll(async () => {
		await stopNodeRed(red);
		rmSync(dir, { recursive: true, force: true });
	});

	it('registers every node of the package', async () => {
		const nodes = (await (await api('/nodes')).json()) as Array<{
			module: string;
			types: string[];
			enabled: boolean;
		}>;
		const ours = nodes.filter((n) => n.module === '@n8n-nodes-bilibili/node-red-bilibili');
		expect(ours.flatMap((n) => n.types).sort()).toEqual(
			[
				'bilibili-account',
				'bilibili-charge',
				'bilibili-config',
				'bilibili-customer-service',
				'bilibili-qrpay',
				'bilibili-remark',
				'bilibili-remark-in',
			].sort(),
		);
		expect(ours.every((n) => n.enabled)).toBe(true);
		// The client came from its own tarball, at the Node-RED package's version (one release, one version).
		const installed = (name: string) =>
			JSON.parse(readFileSync(path.join(userDir, 'node_modules', name, 'package.json'), 'utf8'));
		const red = installed('@n8n-nodes-bilibili/node-red-bilibili');
		expect(red.dependencies).toEqual({ '@n8n-nodes-bilibili/client': red.version });
		expect(installed('@n8n-nodes-bilibili/client').version).toBe(red.version);
		expect(installed('axios').name).toBe('axios');
		// The editor dialogs load a shared script from the package's resources folder.
		const editorScript = await fetch(
			`${base}/resources/@n8n-nodes-bilibili/node-red-bilibili/bilibili-editor.js`,
		);
		expect(editorScript.status).toBe(200);
		expect(await editorScript.text()).toContain('showFieldsPerOperation');
	});

	it('runs the other examples together: QR kiosk, monthly charge, daily report, customer-service upload', async () => {
		const flows = configureExamples(
			exampleFlows([
				'qr-charge-kiosk.json',
				'monthly-bcoin-charge.json',
				'daily-account-report.json',
				'auto-thank-new-charge-remarks.json',
				'customer-service-upload.json',
			]),
			{
				baseUrl: ctx.url,
				...ctx.sim.credentials,
			},
		);
		expect(
			(
				await api('/flows', {
					method: 'POST',
					body: JSON.stringify({ flows }),
					headers: { 'Node-RED-Deployment-Type': 'full' },
				})
			).status,
		).toBe(200);

		// Flows start just after the deploy answers; the auto-thank poll at start shows they are running.
		await until('the flows to start', async () =>
			ctx.sim.requestsTo('/x/web/elec/remark/list').length > 0 ? true : undefined,
		);
		expect((await api('/inject/kiosk-go', { method: 'POST' })).status).toBe(200);
		const qr = await until('a kiosk QR code', async () => [...ctx.sim.state.qrCodes.values()][0]);
		ctx.sim.state.payQr(qr.token);
		await until(
			'the kiosk thank-you',
			async () =>
				ctx.sim.state.orders.get(qr.order_no!)?.message === '感谢扫码充电!' ? true : undefined,
			20_000,
		);
		// The kiosk page shows the current code as an image and its state, and refreshes itself.
		const page = await until('the kiosk page', async () => {
			const html = await (await fetch(`${base}/bilibili-kiosk`)).text();
			return html.includes('<img src="data:image/png;base64,') &&
				html.includes('<p id="state">paid</p>')
				? html
				: undefined;
		});
		expect(page).toContain('<meta http-equiv="refresh" content="3">');

		await api('/inject/monthly-cron', { method: 'POST' });
		const monthly = await until(
			'the monthly charge message',
			async () =>
				[...ctx.sim.state.orders.values()].find((o) => o.message === '每月一充,支持一下!'),
			20_000,
		);
		expect(monthly.bp_num).toBe(5);

		await api('/inject/cs-go', { method: 'POST' });
		await until(
			'the customer-service upload',
			async () => (ctx.sim.requestsTo('/x/custom/msg_svr/v1/upload').length > 0 ? true : undefined),
			20_000,
		);
		expect(ctx.sim.requestsTo('/x/custom/msg_svr/v1/upload')[0]).toMatchObject({
			status: 200,
			code: 0,
			form: expect.objectContaining({ filename: 'note.txt' }),
		});

		await api('/inject/report-cron', { method: 'POST' });
		await until(
			'the daily report',
			async () => (ctx.sim.requestsTo('/x/member/web/exp/reward').length > 0 ? true : undefined),
			20_000,
		);
		expect(ctx.sim.requestsTo('/x/member/web/account').length).toBeGreaterThan(0);
	});

	it('runs the auto-thank example: a new charge remark gets a reply; cookies stay out of the exported flow', async () => {
		const flow = JSON.parse(
			readFileSync(path.join(ROOT, 'examples/auto-thank-new-charge-remarks.json'), 'utf8'),
		) as Array<Record<string, unknown>>;
		const account = flow.find((n) => n.type === 'bilibili-config')!;
		Object.assign(account, {
			baseUrl: ctx.url,
			DedeUserID: ctx.sim.credentials.DedeUserID,
			credentials: {
				SESSDATA: ctx.sim.credentials.SESSDATA,
				bili_jct: ctx.sim.credentials.bili_jct,
			},
		});
		const deployed = await api('/flows', {
			method: 'POST',
			body: JSON.stringify({ flows: flow }),
			headers: { 'Node-RED-Deployment-Type': 'full' },
		});
		expect(deployed.status).toBe(200);
		// The first poll at deploy only sets the mark.
		await until('the first poll', async () =>
			ctx.sim.requestsTo('/x/web/elec/remark/list').length > 0 ? true : undefined,
		);

		const remark = ctx.sim.addRemark({ msg: '冲冲冲', uname: '小明' });
		expect((await api('/inject/thank-check', { method: 'POST' })).status).toBe(200);
		const replied = await until(
			'the reply',
			async () =>
				ctx.sim.state.findRemark(remark.id)?.state === 1
					? ctx.sim.state.findRemark(remark.id)
					: undefined,
			20_000,
		);
		expect(replied.reply_msg).toBe('谢谢小明的充电!');

		const exported = await (await api('/flows')).text();
		expect(exported).not.toContain(ctx.sim.credentials.SESSDATA);
		expect(exported).not.toContain(ctx.sim.credentials.bili_jct);
	});

	it('on default settings (memory context), a restart sends each remark that came after the last poll once: before the stop and while down', async () => {
		// A watcher of its own (the earlier tests' mark stays with their node id while Node-RED runs).
		const flow = JSON.parse(
			JSON.stringify(
				configureExamples(exampleFlows(['auto-thank-new-charge-remarks.json']), {
					baseUrl: ctx.url,
					...ctx.sim.credentials,
				}),
			).replaceAll('"thank-in"', '"restart-in"'),
		) as Array<Record<string, unknown>>;
		const deployed = await api('/flows', {
			method: 'POST',
			body: JSON.stringify({ flows: flow }),
			headers: { 'Node-RED-Deployment-Type': 'full' },
		});
		expect(deployed.status).toBe(200);
		const LIST = '/x/web/elec/remark/list';
		const REPLY = '/x/web/elec/remark/reply';
		/** Presses "check now" once its node has started, and waits for that poll's list request. */
		const checkNow = async () => {
			const polls = ctx.sim.requestsTo(LIST).length;
			await until('check now', async () =>
				(await api('/inject/thank-check', { method: 'POST' })).status === 200 ? true : undefined,
			);
			await until('the poll', async () =>
				ctx.sim.requestsTo(LIST).length > polls ? true : undefined,
			);
		};
		const replied = (ids: number[]) =>
			until('the replies', async () =>
				ids.every((id) => ctx.sim.state.findRemark(id)?.state === 1) ? true : undefined,
			);
		// The first poll at deploy sets the mark: what comes after it is new.
		await until('the first poll', async () =>
			ctx.sim.requestsTo(LIST).length > 0 ? true : undefined,
		);
		const seen = ctx.sim.addRemark({ msg: '第一条', uname: '小明' });
		await checkNow();
		await replied([seen.id]);
		const beforeStop = [
			ctx.sim.addRemark({ msg: '停止前一', uname: '小红' }),
			ctx.sim.addRemark({ msg: '停止前二', uname: '阿伟' }),
		];
		await stopNodeRed(red);
		const whileDown = ctx.sim.addRemark({ msg: '停机时', uname: 'mika' });
		expect(readdirSync(path.join(userDir, '.bilibili-remarks'))).toEqual(['restart-in.json']);

		red = spawnNodeRed(userDir, require.resolve(redJs));
		await until('Node-RED again', async () => ((await api('/settings')).ok ? true : undefined));
		const missed = [...beforeStop, whileDown].map((r) => r.id);
		await replied(missed);
		await checkNow();
		// Each remark thanked once: none lost, none repeated.
		const replies = () => ctx.sim.requestsTo(REPLY).map((r) => Number(r.form.id));
		await until('every reply request answered', async () =>
			ctx.sim.requestsTo(REPLY).every((r) => r.status > 0) ? true : undefined,
		);
		expect(
			replies()
				.filter((id) => [seen.id, ...missed].includes(id))
				.sort(),
		).toEqual([seen.id, ...missed].sort());
	});

	// Last: it restarts Node-RED.
	it('keeps a refreshed session across a Deploy during the refresh, a restart before the next Deploy, and that Deploy (flows_cred.json alone then holds it): the old cookie is dead, the nodes still work', async () => {
		ctx.sim.state.refreshDue = true;
		// The refresh answers late, so the second Deploy lands while it is in flight.
		ctx.sim.injectFault({
			type: 'slow',
			delayMs: 1500,
			path: '/x/passport-login/web/cookie/refresh',
		});
		const before = ctx.sim.addRemark({ msg: '重启前' });
		const after = ctx.sim.addRemark({ msg: '重启后' });
		const old = {
			SESSDATA: ctx.sim.credentials.SESSDATA,
			bili_jct: ctx.sim.credentials.bili_jct,
		};
		// Node-RED starts a flow's nodes in order: the reply node exists before its inject can fire.
		const reply = (id: string, remarkId: number, message: string) => [
			{
				id,
				type: 'bilibili-remark',
				z: 'restart',
				account: 'kept',
				operation: 'reply',
				remarkId: String(remarkId),
				message,
				wires: [[]],
			},
			{ id: `go-${id}`, type: 'inject', z: 'restart', wires: [[id]] },
		];
		/** Presses an inject button once its node has started (the admin API answers 404 before). */
		const press = (id: string) =>
			until(`the inject ${id}`, async () =>
				(await api(`/inject/${id}`, { method: 'POST' })).status === 200 ? true : undefined,
			);
		const flows = [
			{ id: 'restart', type: 'tab', label: 'restart' },
			{
				id: 'kept',
				type: 'bilibili-config',
				baseUrl: ctx.url,
				DedeUserID: ctx.sim.credentials.DedeUserID,
				refreshPublicKey: ctx.sim.refreshKeys.publicKey,
				credentials: { ...old, refresh_token: SIM_REFRESH_TOKEN },
			},
			...reply('reply-before', before.id, 'thanks before'),
			...reply('reply-after', after.id, 'thanks after'),
		];
		const deployed = await api('/flows', {
			method: 'POST',
			body: JSON.stringify({ flows }),
			headers: { 'Node-RED-Deployment-Type': 'full' },
		});
		expect(deployed.status).toBe(200);
		await until('the refresh request', async () =>
			ctx.sim.requestsTo('/x/passport-login/web/cookie/refresh').length === 1 ? true : undefined,
		);
		// A Deploy of the same flows, as the editor sends it: no credentials for an unchanged account.
		const again = flows.map((n) => (n.id === 'kept' ? { ...n, credentials: undefined } : n));
		const redeployed = await api('/flows', {
			method: 'POST',
			body: JSON.stringify({ flows: again }),
			headers: { 'Node-RED-Deployment-Type': 'full' },
		});
		expect(redeployed.status).toBe(200);
		await until('the confirmed refresh', async () =>
			ctx.sim.requestsTo('/x/passport-login/web/confirm/refresh').length === 1 ? true : undefined,
		);
		await press('go-reply-before');
		await until('the first reply', async () =>
			ctx.sim.state.findRemark(before.id)?.state === 1 ? true : undefined,
		);
		const oldClient = new BilibiliClient({ credentials: old, baseUrl: ctx.url, rateLimit: false });
		ctx.clients.push(oldClient);
		await expect(oldClient.account.getProfile()).rejects.toMatchObject({ code: -101 });

		// Restarted before any Deploy: flows_cred.json still holds the login that is now dead.
		await stopNodeRed(red);
		red = spawnNodeRed(userDir, require.resolve(redJs));
		await until('Node-RED again', async () => ((await api('/settings')).ok ? true : undefined));
		await press('go-reply-after');
		const replied = await until('the reply after the restart', async () =>
			ctx.sim.state.findRemark(after.id)?.state === 1
				? ctx.sim.state.findRemark(after.id)
				: undefined,
		);
		expect(replied.reply_msg).toBe('thanks after');
		expect(ctx.sim.requestsTo('/x/passport-login/web/cookie/refresh')).toHaveLength(1);
		const fresh = [...ctx.sim.state.sessions.values()].find((x) => x.valid)!;
		for (const file of [
			'flows_cred.json',
			...readdirSync(path.join(userDir, '.bilibili-sessions')).map(
				(f) => `.bilibili-sessions/${f}`,
			),
		]) {
			const text = readFileSync(path.join(userDir, file), 'utf8');
			for (const secret of [fresh.SESSDATA, fresh.bili_jct, fresh.refresh_token, old.SESSDATA])
				expect(text).not.toContain(secret);
		}

		// The next Deploy of a change (a third reply) writes the restored login into flows_cred.json:
		// the session file is not its only copy. A backup of Node-RED's own files restored elsewhere
		// (here: the session file gone) starts on the refreshed login.
		const third = ctx.sim.addRemark({ msg: '备份后' });
		const changed = [...again, ...reply('reply-third', third.id, 'thanks third')];
		expect(
			(
				await api('/flows', {
					method: 'POST',
					body: JSON.stringify({ flows: changed }),
					headers: { 'Node-RED-Deployment-Type': 'full' },
				})
			).status,
		).toBe(200);
		await stopNodeRed(red);
		rmSync(path.join(userDir, '.bilibili-sessions'), { recursive: true, force: true });
		red = spawnNodeRed(userDir, require.resolve(redJs));
		await until('Node-RED once more', async () => ((await api('/settings')).ok ? true : undefined));
		await press('go-reply-third');
		const thanked = await until('the reply from flows_cred.json alone', async () =>
			ctx.sim.state.findRemark(third.id)?.state === 1
				? ctx.sim.state.findRemark(third.id)
				: undefined,
		);
		expect(thanked.reply_msg).toBe('thanks third');
		expect(ctx.sim.requestsTo('/x/passport-login/web/cookie/refresh')).toHaveLength(1);
		const saved = readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8');
		for (const secret of [fresh.SESSDATA, fresh.bili_jct, fresh.refresh_token])
			expect(saved).not.toContain(secret);
	});
	// After the session test: it restarts Node-RED again.
	it('keeps the 24-hour spending across a restart: limit 10, two charges of 5, restart, the third is refused before sending', async () => {
		const caught: string[] = [];
		const listener = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				caught.push(body);
				res.end('ok');
			});
		});
		await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
		const port = (listener.address() as AddressInfo).port;
		try {
			const flows = [
				{ id: 'spend', type: 'tab', label: 'spend' },
				{
					id: 'wallet',
					type: 'bilibili-config',
					baseUrl: ctx.url,
					DedeUserID: ctx.sim.credentials.DedeUserID,
					maxBcoinPerCharge: 5,
					maxBcoinPer24h: 10,
					credentials: {
						SESSDATA: ctx.sim.credentials.SESSDATA,
						bili_jct: ctx.sim.credentials.bili_jct,
					},
				},
				{
					id: 'pay',
					type: 'bilibili-charge',
					z: 'spend',
					account: 'wallet',
					operation: 'chargeWithBcoin',
					up_mid: '2',
					bp_num: '5',
					wires: [[]],
				},
				{ id: 'go-pay', type: 'inject', z: 'spend', wires: [['pay']] },
				// What the flow's Catch node sees is posted to this test.
				{
					id: 'caught',
					type: 'catch',
					z: 'spend',
					scope: null,
					uncaught: false,
					wires: [['tell']],
				},
				{
					id: 'tell',
					type: 'change',
					z: 'spend',
					rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' }],
					wires: [['post']],
				},
				{
					id: 'post',
					type: 'http request',
					z: 'spend',
					method: 'POST',
					ret: 'txt',
					url: `http://127.0.0.1:${port}/caught`,
					wires: [[]],
				},
			];
			const deployed = await api('/flows', {
				method: 'POST',
				body: JSON.stringify({ flows }),
				headers: { 'Node-RED-Deployment-Type': 'full' },
			});
			expect(deployed.status).toBe(200);
			const press = () =>
				until('the charge inject', async () =>
					(await api('/inject/go-pay', { method: 'POST' })).status === 200 ? true : undefined,
				);
			for (const n of [1, 2]) {
				await press();
				await until(`charge ${n}`, async () =>
					ctx.sim.requestsTo(PAY_QUICK).length === n ? true : undefined,
				);
			}
			expect(ctx.sim.state.balance).toBe(90);

			await stopNodeRed(red);
			red = spawnNodeRed(userDir, require.resolve(redJs));
			await until('Node-RED again', async () => ((await api('/settings')).ok ? true : undefined));
			await press();
			const refused = await until('the refusal', async () => caught[0]);
			expect(refused).toContain(
				'10 B-coins were charged from this account in the last 24 hours; 5 more would pass the maximum of 10 per 24 hours',
			);
			expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(2);
			expect(ctx.sim.state.balance).toBe(90);
			const kept = readFileSync(path.join(userDir, '.bilibili-spending', 'wallet.json'), 'utf8');
			expect(kept).not.toContain(ctx.sim.credentials.SESSDATA);
		} finally {
			await new Promise((r) => listener.close(r));
		}
	});
});
