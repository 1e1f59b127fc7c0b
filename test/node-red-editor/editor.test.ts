/**
 * Node-RED's editor in a real browser (Chromium, driven by playwright-core), on a real Node-RED 5 with
 * the assembled Node-RED package in its user directory: every node dragged from the palette, its edit
 * dialog filled per operation (including "set by msg.operation"), the account created from the
 * dialog's pencil button, Deploy pressed; then GET /flows must hold exactly what was typed (and no
 * cookie), and each node, triggered, must send what its fields say to the simulator. The zh-CN editor
 * shows the Chinese palette labels and dialog labels. No page error anywhere.
 *
 * The editor is kept off the network (no palette catalogue), so any failed request is a page error.
 *
 * Needs Chromium: BILIBILI_CHROMIUM, else /usr/bin/chromium (Debian's `chromium`; .ci/run installs it).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, linkNodeRedPackage, spawnNodeRed, stopNodeRed } from '../../dev/nodeRed';
import { NODE_RED_PACKAGE_DIR } from '../../dev/packageRoot';
import { BilibiliClient } from '../../index';
import { SIM_REFRESH_TOKEN } from '../../simulator/state';
import { useSimulator } from '../helpers/sim';
import { until } from '../helpers/until';

jest.setTimeout(10 * 60_000);
const ctx = useSimulator();
const CHROMIUM = process.env.BILIBILI_CHROMIUM ?? '/usr/bin/chromium';

type Flow = Array<Record<string, unknown> & { id: string; type: string }>;

/** One node to create in the editor: its operation, the fields to type, and how to trigger it. */
interface Case {
	type: string;
	name: string;
	operation?: string;
	/** Field → value typed (text), chosen (select) or ticked (checkbox). */
	fields: Record<string, string | boolean>;
	/** Properties of the message that triggers it (inject node props). */
	msg?: Record<string, string>;
	/** The simulator path the node must call when triggered, and what that request must carry. */
	expect?: { path: string; form?: Record<string, string>; query?: Record<string, string> };
}

describe('the Node-RED editor in a browser', () => {
	let stage: EditorStage;
	const api = (p: string, init?: RequestInit) => stage.api(p, init);
	beforeAll(async () => {
		stage = await startEditorStage(require.resolve('node-red/red.js'));
	});
	afterAll(() => stage?.stop());

	const openEditor = (locale: string) => openEditorAt(stage.browser, stage.base, locale);

	/** Drags a node from the palette onto the workspace and returns its id. */
	async function drag(page: Page, type: string, at: { x: number; y: number }): Promise<string> {
		const before = await page.evaluate(
			(t) =>
				(globalThis as unknown as { RED: RedApi }).RED.nodes
					.filterNodes({ type: t })
					.map((n) => n.id),
			type,
		);
		const item = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
		await item.scrollIntoViewIfNeeded();
		await item.dragTo(page.locator('#red-ui-workspace-chart'), { targetPosition: at });
		return until(`${type} on the workspace`, () =>
			page.evaluate(
				([t, ids]) =>
					(globalThis as unknown as { RED: RedApi }).RED.nodes
						.filterNodes({ type: t })
						.map((n) => n.id)
						.find((id) => !ids.includes(id)),
				[type, before] as const,
			),
		);
	}

	describe('every node from the palette, each its own test case', () => {
		const account = {
			name: 'editor account',
			DedeUserID: '',
			baseUrl: '',
			minIntervalMs: '0',
			maxBcoinPerCharge: '20',
			maxBcoinPer24h: '100',
		};
		let cases: Case[] = [];
		const ids = new Map<string, string>();
		/** What went wrong for a case while the dialog was filled (the other cases go on). */
		const problems = new Map<string, string>();
		let saved: { rev: string; flows: Flow } = { rev: '', flows: [] };
		let editor: { page: Page; errors: string[] } | undefined;

		beforeAll(async () => {
			const sim = ctx.sim;
			const self = String(sim.credentials.DedeUserID);
			// Things for the nodes to act on: a paid order to message, a live QR code, a remark to reply to.
			const client = new BilibiliClient({
				credentials: sim.credentials,
				baseUrl: ctx.url,
				rateLimit: false,
			});
			const order = await client.charge.chargeWithBcoin({ up_mid: Number(self), bp_num: 2 });
			const qr = await client.charge.createQrPay({ up_mid: Number(self), bp_num: 2 });
			client.close();
			const remark = sim.addRemark({ msg: 'from the editor test', uname: 'fan' });
			const upload = path.join(stage.dir, 'upload.txt');
			writeFileSync(upload, 'uploaded from the editor test');
			cases = editorCases({
				self,
				order_no: order.order_no,
				qr_token: qr.qr_token,
				remarkId: String(remark.id),
				upload,
			});
			Object.assign(account, { DedeUserID: self, baseUrl: ctx.url });

			editor = await openEditor('en-US');
			const { page } = editor;
			for (const [i, c] of cases.entries()) {
				try {
					const id = await drag(page, c.type, {
						x: 150 + (i % 5) * 200,
						y: 80 + Math.floor(i / 5) * 90,
					});
					ids.set(c.name, id);
					await openDialog(page, id);
					if (i === 0) {
						// The account is created from the dialog's "+" button, as a first-time user does.
						await page.locator('#node-input-btn-account-add').click();
						await page.waitForSelector('#node-config-dialog-ok', { state: 'visible' });
						await fill(page, 'node-config-input', {
							...account,
							SESSDATA: sim.credentials.SESSDATA,
							bili_jct: sim.credentials.bili_jct,
						});
						await page.locator('#node-config-dialog-ok').click();
						await page.waitForSelector('#node-config-dialog-ok', { state: 'detached' });
					} else {
						// Later nodes pick the account from the dialog's list, as a user does.
						await page.locator('#node-input-account').selectOption({ label: account.name });
					}
					if (c.operation) await fill(page, 'node-input', { operation: c.operation });
					// Only the rows of the chosen operation show ("set by msg.operation" shows them all).
					const hidden: string[] = [];
					for (const field of Object.keys(c.fields))
						if (!(await page.locator(`#node-input-${field}`).isVisible())) hidden.push(field);
					if (hidden.length) problems.set(c.name, `fields not shown: ${hidden.join(', ')}`);
					await fill(page, 'node-input', { ...c.fields, name: c.name });
					await page.locator('#node-dialog-ok').click();
					await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
				} catch (err) {
					problems.set(c.name, `dialog: ${(err as Error).message.split('\n')[0]}`);
					// Leave the dialog the way a user would, so the next node starts from the workspace.
					if (await page.locator('#node-dialog-cancel').isVisible())
						await page.locator('#node-dialog-cancel').click();
				}
			}
			await page.locator('#red-ui-header-button-deploy').click();
			await page.waitForSelector('.red-ui-notification:has-text("Successfully deployed")', {
				timeout: 30_000,
			});
			saved = (await (await api('/flows')).json()) as { rev: string; flows: Flow };

			// Each node gets an inject node, added to the deployed flow, to trigger it in its own test.
			const injects: Flow = cases.flatMap((c, i) => {
				const node = saved.flows.find((n) => n.id === ids.get(c.name));
				if (!node) return [];
				return [
					{
						id: `inject${i}`,
						type: 'inject',
						z: node.z,
						name: `trigger ${c.name}`,
						props: [
							{ p: 'payload', v: '', vt: 'str' },
							...Object.entries(c.msg ?? {}).map(([p, v]) => ({ p, v, vt: 'str' })),
						],
						repeat: '',
						once: false,
						wires: [[node.id]],
						x: 100,
						y: 100,
					},
				];
			});
			const deployed = await api('/flows', {
				method: 'POST',
				headers: { 'Node-RED-Deployment-Type': 'full' },
				body: JSON.stringify({ rev: saved.rev, flows: [...saved.flows, ...injects] }),
			});
			if (deployed.status !== 200)
				throw new Error(`deploying the inject nodes answered ${deployed.status}`);
		});

		afterAll(async () => {
			await editor?.page.context().close();
		});

		it('the account was created from the dialog; the saved flow holds its settings and no cookie', async () => {
			const text = JSON.stringify(saved.flows);
			expect(text).not.toContain(ctx.sim.credentials.SESSDATA);
			expect(text).not.toContain(ctx.sim.credentials.bili_jct);
			const config = saved.flows.find((n) => n.type === 'bilibili-config')!;
			for (const [k, v] of Object.entries(account)) expect([k, String(config[k])]).toEqual([k, v]);
		});

		it.each(caseNames())('%s: dialog, saved flow, and the request it sends', async (name) => {
			const i = cases.findIndex((c) => c.name === name);
			const c = cases[i];
			expect(problems.get(name)).toBeUndefined();
			const node = saved.flows.find((n) => n.id === ids.get(name))!;
			const config = saved.flows.find((n) => n.type === 'bilibili-config')!;
			// Valid in the editor (Deploy would otherwise have asked for confirmation), saved as typed.
			const valid = await editor!.page.evaluate(
				(id) =>
					(globalThis as unknown as { RED: RedApi }).RED.nodes
						.filterNodes({})
						.find((n) => n.id === id)?.valid,
				node.id,
			);
			expect(valid).not.toBe(false);
			expect({ name: node.name, operation: node.operation, account: node.account }).toEqual({
				name: c.name,
				operation: c.operation,
				account: config.id,
			});
			for (const [k, v] of Object.entries(c.fields))
				expect([k, typeof v === 'boolean' ? node[k] : String(node[k])]).toEqual([k, v]);
			if (!c.expect) return;
			const sim = ctx.sim;
			const before = sim.requests.length;
			// The deploy answers before every node has started: an inject not started yet answers 404.
			await until(
				`inject${i} started`,
				async () =>
					(await api(`/inject/inject${i}`, { method: 'POST' })).status === 200 || undefined,
				20_000,
			);
			const hit = await until(
				`${c.name} → ${c.expect.path}`,
				() => sim.requests.slice(before).find((r) => r.path === c.expect!.path),
				20_000,
			);
			if (c.expect.form) expect(hit.form).toEqual(expect.objectContaining(c.expect.form));
			if (c.expect.query) expect(hit.query).toEqual(expect.objectContaining(c.expect.query));
			expect(hit.cookies).toEqual(expect.arrayContaining(['SESSDATA']));
		});

		it('the editor reported no page error while every node was created', () => {
			expect(editor?.errors).toEqual([]);
		});
	});

	it('logs in with a QR code from the account dialog: the cookies fill the fields, work, and never reach the flow', async () => {
		const sim = ctx.sim;
		const { page, errors } = await openEditor('en-US');
		const id = await drag(page, 'bilibili-account', { x: 300, y: 760 });
		await openDialog(page, id);
		await page.locator('#node-input-btn-account-add').click();
		await page.waitForSelector('#node-config-dialog-ok', { state: 'visible' });
		await fill(page, 'node-config-input', {
			name: 'qr account',
			baseUrl: ctx.url,
			minIntervalMs: '0',
		});
		const keysBefore = sim.state.logins.size;
		await page.locator('#node-config-bilibili-qr-login').click();
		const image = page.locator('#node-config-bilibili-qr-image');
		await image.waitFor({ state: 'visible' });
		expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
		const key = await until('a login key', () =>
			sim.state.logins.size > keysBefore ? [...sim.state.logins.keys()].pop() : undefined,
		);
		const statusText = page.locator('#node-config-bilibili-qr-status');
		await expect(statusText.textContent()).resolves.toContain(
			'Scan this code with the Bilibili app',
		);
		sim.state.scanLogin(key);
		await until(
			'scanned shown',
			async () =>
				(await statusText.textContent())?.includes('Scanned — confirm the login in the app')
					? true
					: undefined,
			15_000,
		);
		sim.state.confirmLogin(key);
		await until(
			'logged in shown',
			async () =>
				(await statusText.textContent())?.includes(`Logged in as ${sim.credentials.DedeUserID}`)
					? true
					: undefined,
			15_000,
		);
		// The fields hold the cookies now; the status text does not.
		expect(await page.locator('#node-config-input-SESSDATA').inputValue()).toBe(
			sim.credentials.SESSDATA,
		);
		expect(await page.locator('#node-config-input-bili_jct').inputValue()).toBe(
			sim.credentials.bili_jct,
		);
		expect(await page.locator('#node-config-input-DedeUserID').inputValue()).toBe(
			String(sim.credentials.DedeUserID),
		);
		// The refresh token is kept with them, for a session refresh.
		expect(await page.locator('#node-config-input-refresh_token').inputValue()).toBe(
			SIM_REFRESH_TOKEN,
		);
		expect(await statusText.textContent()).not.toContain(sim.credentials.SESSDATA);
		await page.locator('#node-config-dialog-ok').click();
		await page.waitForSelector('#node-config-dialog-ok', { state: 'detached' });
		await fill(page, 'node-input', { operation: 'getProfile', name: 'qr profile' });
		await page.locator('#node-dialog-ok').click();
		await page.locator('#red-ui-header-button-deploy').click();
		await page.waitForSelector('.red-ui-notification:has-text("Successfully deployed")', {
			timeout: 30_000,
		});

		const saved = (await (await api('/flows')).json()) as { rev: string; flows: Flow };
		expect(JSON.stringify(saved.flows)).not.toContain(sim.credentials.SESSDATA);
		expect(JSON.stringify(saved.flows)).not.toContain(sim.credentials.bili_jct);
		expect(JSON.stringify(saved.flows)).not.toContain(SIM_REFRESH_TOKEN);
		const node = saved.flows.find((n) => n.id === id)!;
		const inject = {
			id: 'injectQr',
			type: 'inject',
			z: node.z,
			name: 'qr',
			props: [{ p: 'payload', v: '', vt: 'str' }],
			repeat: '',
			once: false,
			wires: [[id]],
			x: 100,
			y: 500,
		};
		expect(
			(
				await api('/flows', {
					method: 'POST',
					headers: { 'Node-RED-Deployment-Type': 'full' },
					body: JSON.stringify({ rev: saved.rev, flows: [...saved.flows, inject] }),
				})
			).status,
		).toBe(200);
		const before = sim.requests.length;
		await until(
			'injectQr started',
			async () => (await api('/inject/injectQr', { method: 'POST' })).status === 200 || undefined,
			20_000,
		);
		// The cookies the QR login brought are the ones that log the node in.
		const profile = await until(
			'the profile read',
			() => sim.requests.slice(before).find((r) => r.path === '/x/member/web/account'),
			20_000,
		);
		expect(profile.code).toBe(0);
		expect(errors).toEqual([]);
		await page.context().close();
	});

	it('the zh-CN editor shows the Chinese palette labels and dialog labels', async () => {
		const { page, errors } = await openEditor('zh-CN');
		const zh = (type: string) =>
			JSON.parse(
				readFileSync(
					path.join(NODE_RED_PACKAGE_DIR, 'dist/node-red/locales/zh-CN', `${type}.json`),
					'utf8',
				),
			)[type];
		for (const type of [
			'bilibili-charge',
			'bilibili-qrpay',
			'bilibili-remark',
			'bilibili-remark-in',
			'bilibili-account',
			'bilibili-customer-service',
		]) {
			await expect(
				page
					.locator(`.red-ui-palette-node[data-palette-type="${type}"] .red-ui-palette-label`)
					.textContent(),
			).resolves.toBe(zh(type).paletteLabel);
		}
		const id = await drag(page, 'bilibili-charge', { x: 200, y: 100 });
		await openDialog(page, id);
		await expect(page.locator('label[for="node-input-bp_num"] span').textContent()).resolves.toBe(
			zh('bilibili-charge').label.bp_num,
		);
		await expect(
			page.locator('#node-input-operation option[value="msg"]').textContent(),
		).resolves.toBe(zh('bilibili-charge').operation.msg);
		expect(errors).toEqual([]);
		await page.context().close();
	});
});

/** A Node-RED (the given red.js) on a fresh user directory with the package linked, and a headless Chromium. */
async function startEditorStage(redJs: string) {
	if (!existsSync(CHROMIUM))
		throw new Error(
			`Chromium not found at ${CHROMIUM}: apt-get install chromium, or set BILIBILI_CHROMIUM`,
		);
	const dir = mkdtempSync(path.join(tmpdir(), 'bilibili-editor-'));
	const userDir = path.join(dir, 'user');
	linkNodeRedPackage(userDir);
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const api = (p: string, init?: RequestInit) =>
		fetch(base + p, {
			...init,
			headers: {
				'Content-Type': 'application/json',
				'Node-RED-API-Version': 'v2',
				...init?.headers,
			},
		});
	writeFileSync(
		path.join(userDir, 'settings.js'),
		`module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: 'editor-secret', logging: { console: { level: 'warn' } }, telemetry: { enabled: false }, editorTheme: { tours: false, palette: { catalogues: [] } }, externalModules: { autoInstall: false } };`,
	);
	const red: ChildProcess = spawnNodeRed(userDir, redJs);
	await until('Node-RED', async () => (await api('/settings')).ok || undefined);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless=new',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-dev-shm-usage',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	return {
		dir,
		base,
		api,
		browser,
		async stop() {
			await browser.close();
			await stopNodeRed(red);
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
type EditorStage = Awaited<ReturnType<typeof startEditorStage>>;

// The oldest and newest Node-RED major versions the package claims: their import code is checked alike.
describe.each([
	['Node-RED 4', 'node-red-4/red.js'],
	['Node-RED 5', 'node-red/red.js'],
])('%s editor: importing several examples', (_name, redJs) => {
	let stage: EditorStage;
	const api = (p: string, init?: RequestInit) => stage.api(p, init);
	beforeAll(async () => {
		stage = await startEditorStage(require.resolve(redJs));
	});
	afterAll(() => stage?.stop());
	const openEditor = (locale: string) => openEditorAt(stage.browser, stage.base, locale);

	// All examples carry the same account node (bili-acct). Importing a second one offers Node-RED's
	// conflict notice; its "Import copy" gives the flow's nodes new ids but keeps an existing config
	// node of the same id and type (red.js importNodes, Node-RED 4 and 5 alike): one account remains.
	it('importing two examples leaves one account: "Import copy" keeps it, and its cookies work after Deploy', async () => {
		const sim = ctx.sim;
		const { page, errors } = await openEditor('en-US');
		const importExample = async (file: string) => {
			await page.locator('#red-ui-header-button-sidemenu').click();
			await page.locator('#menu-item-import').click();
			const text = page.locator('#red-ui-clipboard-dialog-import-text');
			await text.fill(readFileSync(path.join(NODE_RED_PACKAGE_DIR, 'examples', file), 'utf8'));
			// The editor checks the text on a key release (a pasting user's Ctrl+V ends with one).
			await text.press('End');
			await page.locator('#red-ui-clipboard-dialog-ok').click();
		};
		const accounts = () =>
			page.evaluate(() => {
				const ids: string[] = [];
				(globalThis as unknown as { RED: RedApi }).RED.nodes.eachConfig((n) => {
					if (n.type === 'bilibili-config') ids.push(n.id);
				});
				return ids;
			});
		const deploy = async () => {
			await page.locator('#red-ui-header-button-deploy').click();
			await page.waitForSelector('.red-ui-notification:has-text("Successfully deployed")', {
				timeout: 30_000,
			});
			await page
				.locator('.red-ui-notification:has-text("Successfully deployed")')
				.waitFor({ state: 'detached', timeout: 30_000 });
		};

		await importExample('daily-account-report.json');
		expect(await accounts()).toEqual(['bili-acct']);
		// Step 1 of its "How to use": the cookies go into the account node (its pencil in a node's dialog).
		await page.locator('#red-ui-tab-t-report').click();
		await openDialog(page, 'report-profile');
		await page.locator('#node-input-btn-account-edit').click();
		await page.waitForSelector('#node-config-dialog-ok', { state: 'visible' });
		await fill(page, 'node-config-input', {
			SESSDATA: sim.credentials.SESSDATA,
			bili_jct: sim.credentials.bili_jct,
			DedeUserID: String(sim.credentials.DedeUserID),
			baseUrl: ctx.url,
			minIntervalMs: '0',
		});
		await page.locator('#node-config-dialog-ok').click();
		await page.waitForSelector('#node-config-dialog-ok', { state: 'detached' });
		await page.locator('#node-dialog-ok').click();
		await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
		await deploy();

		await importExample('auto-thank-new-charge-remarks.json');
		const notice = page.locator('.red-ui-notification', {
			hasText: 'Some of the nodes you are importing already exist',
		});
		await notice.locator('button', { hasText: 'Import copy' }).click();
		expect(await accounts()).toEqual(['bili-acct']);
		await deploy();

		const saved = (await (await api('/flows')).json()) as { flows: Flow };
		expect(saved.flows.filter((n) => n.type === 'bilibili-config').map((n) => n.id)).toEqual([
			'bili-acct',
		]);
		const ours = saved.flows.filter((n) => /^bilibili-(?!config)/.test(n.type));
		expect(ours.map((n) => n.name).sort()).toEqual(
			['exp tasks', 'new charge remark', 'profile', 'reply'].sort(),
		);
		expect(new Set(ours.map((n) => n.account))).toEqual(new Set(['bili-acct']));
		expect(JSON.stringify(saved.flows)).not.toContain(sim.credentials.SESSDATA);

		// The copied example's nodes log in with the cookies typed before: "check now" lists the remarks.
		const check = saved.flows.find((n) => n.type === 'inject' && n.name === 'check now')!;
		const before = sim.requests.length;
		await until(
			'check now started',
			async () =>
				(await api(`/inject/${check.id}`, { method: 'POST' })).status === 200 || undefined,
			20_000,
		);
		const listed = await until(
			'the remark list',
			() => sim.requests.slice(before).find((r) => r.path === '/x/web/elec/remark/list'),
			20_000,
		);
		expect(listed).toMatchObject({ code: 0, cookies: expect.arrayContaining(['SESSDATA']) });
		expect(errors).toEqual([]);
		await page.context().close();
	});
});

/** An editor page and the errors it reports (its own list: a closing page cannot blame another test). */
async function openEditorAt(
	browser: Browser,
	base: string,
	locale: string,
): Promise<{ page: Page; errors: string[] }> {
	const errors: string[] = [];
	const context = await browser.newContext({ locale, viewport: { width: 1600, height: 1000 } });
	const page = await context.newPage();
	// The first lines of the stack say where: ours (resources/…) or the editor's.
	page.on('pageerror', (err) =>
		errors.push(
			`${locale}: ${err.message} ${(err.stack ?? '').split('\n').slice(1, 4).join(' | ')}`,
		),
	);
	page.on('console', (m) => {
		if (m.type() === 'error' && !/favicon/.test(m.text()))
			errors.push(`${locale} console: ${m.text()}`);
	});
	await page.goto(base + '/');
	await page.waitForSelector(`.red-ui-palette-node[data-palette-type="bilibili-charge"]`, {
		state: 'attached',
		timeout: 60_000,
	});
	// Node-RED shows its header toolbar once the whole editor (flows, help, code editor) has loaded;
	// a user acts after that, and so does the test.
	// (Node-RED 5 unhides its container, Node-RED 4 the list itself.)
	await page.waitForSelector('ul.red-ui-header-toolbar', {
		state: 'visible',
		timeout: 60_000,
	});
	await page.waitForSelector('#red-ui-loading-progress', { state: 'hidden', timeout: 60_000 });
	return { page, errors };
}

/** Double-clicks the node on the workspace, as a user opens its edit dialog. */
async function openDialog(page: Page, id: string): Promise<void> {
	await page.locator(`[id="${id}"] .red-ui-flow-node`).dblclick();
	await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
}

async function fill(
	page: Page,
	prefix: 'node-input' | 'node-config-input',
	fields: Record<string, string | boolean>,
): Promise<void> {
	for (const [field, value] of Object.entries(fields)) {
		const input = page.locator(`#${prefix}-${field}`);
		if (typeof value === 'boolean') await input.setChecked(value);
		else if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(value);
		else await input.fill(value);
	}
}

interface RedApi {
	nodes: {
		filterNodes(filter: {
			type?: string;
		}): Array<{ id: string; type: string; name?: string; valid?: boolean }>;
		eachConfig(fn: (node: { id: string; type: string }) => void): void;
	};
}

/** What the cases need from the simulator: ids of things that exist there. */
interface CaseValues {
	self: string;
	order_no: string;
	qr_token: string;
	remarkId: string;
	upload: string;
}

/** Every node and operation the editor test creates, with the fields typed and what it must send. */
function editorCases({ self, order_no, qr_token, remarkId, upload }: CaseValues): Case[] {
	const order = { order_no };
	const qr = { qr_token };
	const remark = { id: remarkId };
	const PAY = '/x/ugcpay/web/v2/trade/elec/pay/quick';
	return [
		{
			type: 'bilibili-charge',
			name: 'charge bcoin',
			operation: 'chargeWithBcoin',
			fields: { up_mid: self, bp_num: '5', otype: 'up', preferBalance: true },
			expect: { path: PAY, form: { bp_num: '5', up_mid: self } },
		},
		{
			type: 'bilibili-charge',
			name: 'charge qr',
			operation: 'createQrPay',
			fields: { up_mid: self, bp_num: '7', otype: 'up', preferBalance: false },
			expect: { path: '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create', form: { bp_num: '7' } },
		},
		{
			type: 'bilibili-charge',
			name: 'charge status',
			operation: 'getQrPayStatus',
			fields: { qr_token: qr.qr_token },
			expect: { path: '/x/ugcpay/trade/elec/pay/order/status', query: { qr_token: qr.qr_token } },
		},
		{
			type: 'bilibili-charge',
			name: 'charge message',
			operation: 'sendChargeMessage',
			fields: { order_no: order.order_no, message: '编辑器留言' },
			expect: {
				path: '/x/ugcpay/trade/elec/message',
				form: { order_id: order.order_no, message: '编辑器留言' },
			},
		},
		{
			type: 'bilibili-charge',
			name: 'charge by msg',
			operation: 'msg',
			fields: { up_mid: self, bp_num: '3' },
			msg: { operation: 'chargeWithBcoin' },
			expect: { path: PAY, form: { bp_num: '3' } },
		},
		{
			type: 'bilibili-account',
			name: 'account profile',
			operation: 'getProfile',
			fields: {},
			expect: { path: '/x/member/web/account' },
		},
		{
			type: 'bilibili-account',
			name: 'account sign',
			operation: 'updateSignature',
			fields: { signature: '编辑器签名' },
			expect: { path: '/x/member/web/sign/update', form: { user_sign: '编辑器签名' } },
		},
		{
			type: 'bilibili-account',
			name: 'account exp tasks',
			operation: 'getDailyExpTasks',
			fields: {},
			expect: { path: '/x/member/web/exp/reward' },
		},
		{
			type: 'bilibili-account',
			name: 'account coin exp',
			operation: 'getTodayCoinExp',
			fields: {},
			expect: { path: '/plus/account/exp.php' },
		},
		{
			type: 'bilibili-account',
			name: 'account vip',
			operation: 'getVipInfo',
			fields: {},
			expect: { path: '/x/vip/web/user/info' },
		},
		{
			type: 'bilibili-account',
			name: 'account security',
			operation: 'getSecurityInfo',
			fields: {},
			expect: { path: '/web/site/user/info' },
		},
		{
			type: 'bilibili-account',
			name: 'account realname',
			operation: 'getRealnameStatus',
			fields: {},
			expect: { path: '/x/member/realname/status' },
		},
		{
			type: 'bilibili-account',
			name: 'account realname details',
			operation: 'getRealnameDetails',
			fields: {},
			expect: { path: '/x/member/realname/apply/status' },
		},
		{
			type: 'bilibili-account',
			name: 'account coin log',
			operation: 'getCoinLog',
			fields: {},
			expect: { path: '/x/member/web/coin/log' },
		},
		{
			type: 'bilibili-account',
			name: 'account by msg',
			operation: 'msg',
			fields: {},
			msg: { operation: 'getVipInfo' },
			expect: { path: '/x/vip/web/user/info' },
		},
		{
			type: 'bilibili-remark',
			name: 'remark list',
			operation: 'list',
			fields: { all: false, ps: '5', begin: '2024-01-01' },
			expect: { path: '/x/web/elec/remark/list', query: { ps: '5', begin: '2024-01-01' } },
		},
		{
			type: 'bilibili-remark',
			name: 'remark detail',
			operation: 'detail',
			fields: { remarkId: String(remark.id) },
			expect: { path: '/x/web/elec/remark/detail', query: { id: String(remark.id) } },
		},
		{
			type: 'bilibili-remark',
			name: 'remark reply',
			operation: 'reply',
			fields: { remarkId: String(remark.id), message: '谢谢!' },
			expect: { path: '/x/web/elec/remark/reply', form: { id: String(remark.id), msg: '谢谢!' } },
		},
		{
			type: 'bilibili-remark',
			name: 'remark by msg',
			operation: 'msg',
			fields: { ps: '3' },
			msg: { operation: 'list' },
			expect: { path: '/x/web/elec/remark/list', query: { ps: '3' } },
		},
		{
			type: 'bilibili-customer-service',
			name: 'cs heartbeat',
			operation: 'heartbeat',
			fields: {},
			expect: { path: '/x/custom/session_svr/v1/heart_beat' },
		},
		{
			type: 'bilibili-customer-service',
			name: 'cs upload',
			operation: 'uploadFile',
			fields: { filename: upload, uploadName: 'editor.txt' },
			expect: { path: '/x/custom/msg_svr/v1/upload' },
		},
		{
			type: 'bilibili-qrpay',
			name: 'qrpay',
			fields: { up_mid: self, bp_num: '4', otype: 'up', preferBalance: true, interval: '2' },
			expect: { path: '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create', form: { bp_num: '4' } },
		},
		{
			type: 'bilibili-remark-in',
			name: 'remark in',
			fields: { interval: '15', includeDetails: true, emitLatestOnStart: false },
		},
	];
}

/** The cases' names, known before the simulator runs, so each becomes its own test. */
function caseNames(): string[] {
	return editorCases({ self: '1', order_no: 'o', qr_token: 'q', remarkId: '1', upload: 'u' }).map(
		(c) => c.name,
	);
}
