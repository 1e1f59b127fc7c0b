/**
 * The real n8n server (`n8n` pinned in dev/n8nServer.ts), with this package packed and installed as a
 * community package: what n8n-core alone cannot show — error-output routing in `n8n execute`,
 * activation of triggers under `n8n start`, a logged-out trigger staying under the request bound, and
 * remarks replied exactly once across a restart. Runs with `npm run test:engines` (README).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, outputCounts } from '../../dev/n8nServer';
import { BilibiliClient } from '../../index';
import { BilibiliSimulator } from '../../simulator';
import { PACKAGE_ROOT } from '../../dev/packageRoot';
import { SIM_REFRESH_TOKEN } from '../../simulator/state';
import {
	bilibili,
	credential,
	credentials,
	executeWorkflow as executeOn,
	itemsWorkflow,
	SELF,
	setUpStage,
	storedCredential,
} from './stage';

jest.setTimeout(20 * 60_000);

const sim = new BilibiliSimulator();
let n8n: N8nInstance;
const CREATE = '/x/ugcpay/web/v2/trade/elec/pay/qr_code/create';
const STATUS = '/x/ugcpay/trade/elec/pay/order/status';

beforeAll(async () => {
	await sim.start();
	n8n = await setUpStage(sim);
});

afterAll(async () => {
	await n8n?.dispose();
	await sim.stop();
});

describe('n8n execute', () => {
	it('Continue (using error output) sends failed items down the error output', async () => {
		sim.state.balance = 10;
		await n8n.import('workflow', {
			id: 'errorOutput01',
			name: 'Error output',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'a',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'b',
					name: 'Three charges',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [200, 0],
					parameters: {
						mode: 'raw',
						jsonOutput: JSON.stringify({ charges: [{ amount: 1 }, { amount: 20 }, { amount: 2 }] }),
					},
				},
				{
					id: 'c',
					name: 'Split',
					type: 'n8n-nodes-base.splitOut',
					typeVersion: 1,
					position: [400, 0],
					parameters: { fieldToSplitOut: 'charges' },
				},
				{
					id: 'd',
					name: 'Charge',
					type: bilibili('bilibiliCharge'),
					typeVersion: 1,
					position: [600, 0],
					onError: 'continueErrorOutput',
					parameters: {
						operation: 'chargeWithBcoin',
						upMid: String(SELF),
						amount: '={{ $json.amount }}',
						preferBalance: true,
					},
					credentials: credentials('simGood'),
				},
				{
					id: 'e',
					name: 'Charged',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [800, -100],
					parameters: {},
				},
				{
					id: 'f',
					name: 'Failed',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [800, 100],
					parameters: {},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Three charges', type: 'main', index: 0 }]] },
				'Three charges': { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
				Split: { main: [[{ node: 'Charge', type: 'main', index: 0 }]] },
				Charge: {
					main: [
						[{ node: 'Charged', type: 'main', index: 0 }],
						[{ node: 'Failed', type: 'main', index: 0 }],
					],
				},
			},
		});
		const result = await n8n.execute('errorOutput01');
		if (!result.run)
			throw new Error(
				`n8n execute gave no run (exit ${result.code}): ${result.stdout.slice(-3000)} ${result.stderr.slice(-3000)}`,
			);
		const counts = outputCounts(result.run!);
		expect(counts.Charge).toEqual([1, 2]);
		expect(counts.Charged).toEqual([1]);
		expect(counts.Failed).toEqual([2]);
		expect(sim.requestsTo('/x/ugcpay/web/v2/trade/elec/pay/quick')).toHaveLength(2);
	});
});

const executeWorkflow = (workflow: Record<string, unknown>, extraEnv: NodeJS.ProcessEnv = {}) =>
	executeOn(n8n, workflow, extraEnv);

/** Start → Set (one item per entry) → Split Out → the given Charge node. */
function chargeWorkflow(
	id: string,
	items: Array<Record<string, unknown>>,
	charge: Record<string, unknown>,
) {
	return itemsWorkflow(id, items, [
		{
			id: 'd',
			name: 'Charge',
			type: bilibili('bilibiliCharge'),
			typeVersion: 1,
			position: [600, 0],
			parameters: {
				operation: 'chargeWithBcoin',
				upMid: String(SELF),
				amount: '={{ $json.amount }}',
				preferBalance: true,
			},
			credentials: credentials('simGood'),
			...charge,
		},
	]);
}

describe("n8n execute: money under the engine's own retries", () => {
	beforeEach(() => sim.reset());
	const PAY = '/x/ugcpay/web/v2/trade/elec/pay/quick';

	it('Retry On Fail after a lost answer: exactly one pay request, reported as unknown', async () => {
		sim.injectFault({ type: 'drop', after: true, path: PAY });
		const { runData } = await executeWorkflow(
			chargeWorkflow('retryLost01', [{ amount: 5 }], {
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 0,
			}),
		);
		expect(runData.Charge[0].error?.message).toContain('Outcome unknown');
		expect(sim.requestsTo(PAY)).toHaveLength(1);
		expect(sim.state.orders.size).toBe(1);
	});

	it('On Error → Continue + Retry On Fail with an invalid item 0: the good charge is made once', async () => {
		const { runData } = await executeWorkflow(
			chargeWorkflow('retryContinue01', [{ amount: 1 }, { amount: 5 }], {
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 0,
				onError: 'continueRegularOutput',
			}),
		);
		const out = runData.Charge[0].data!.main![0]!;
		expect(out[0].json.error).toContain('Invalid Amount (B-Coins)');
		expect(out[1].json).toMatchObject({
			status: 4,
			bp_num: 5,
			order_no: [...sim.state.orders.keys()][0],
		});
		expect(sim.requestsTo(PAY).map((r) => r.form.bp_num)).toEqual(['5']);
	});

	it('On Error → Stop: the error names the charges already made, with order numbers', async () => {
		sim.state.balance = 10;
		const { runData } = await executeWorkflow(
			chargeWorkflow('stopNames01', [{ amount: 2 }, { amount: 3 }, { amount: 50 }], {}),
		);
		const orders = [...sim.state.orders.values()];
		expect(orders.map((o) => o.bp_num)).toEqual([2, 3]);
		const err = runData.Charge[0].error!;
		expect(err.message).toContain('800409904');
		expect(err.description).toContain(
			`item 0: 2 B-coins to UP ${SELF}, order_no ${orders[0].order_no}; item 1: 3 B-coins to UP ${SELF}, order_no ${orders[1].order_no}`,
		);
	});

	it('the same node run again in one execution (as an AI Agent calls a tool again) does not resend a charge of unknown outcome', async () => {
		sim.injectFault({ type: 'drop', after: true, path: PAY });
		// Loop Over Items, one item a batch: the Charge node runs twice in the execution with the same charge.
		const workflow = chargeWorkflow('sameExecution01', [{ amount: 5 }, { amount: 5 }], {
			onError: 'continueRegularOutput',
		});
		workflow.nodes.push({
			id: 'l',
			name: 'Loop',
			type: 'n8n-nodes-base.splitInBatches',
			typeVersion: 3,
			position: [500, 200],
			parameters: { batchSize: 1, options: {} },
		} as never);
		workflow.connections = {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
			Loop: { main: [[], [{ node: 'Charge', type: 'main', index: 0 }]] },
			Charge: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
		} as never;
		const { runData } = await executeWorkflow(workflow);
		const runs = runData.Charge.map((r) => r.data!.main![0]![0].json.error as string);
		expect(runs).toHaveLength(2);
		expect(runs[0]).toContain('Outcome unknown');
		expect(runs[1]).toContain(
			'Not sent: an identical charge earlier in this execution has an unknown outcome',
		);
		expect(sim.requestsTo(PAY)).toHaveLength(1);
	});

	it("n8n's SSRF guard refusing the request is a plain refusal, not an unknown outcome", async () => {
		const { runData } = await executeWorkflow(
			chargeWorkflow('ssrfRefused01', [{ amount: 5 }], {}),
			{ N8N_SSRF_PROTECTION_ENABLED: 'true' },
		);
		const message = runData.Charge[0].error?.message ?? '';
		expect(message).not.toContain('Outcome unknown');
		expect(message).toContain('refused to send it');
		expect(sim.requestsTo(PAY)).toHaveLength(0);
	});
});

describe("n8n execute: n8n's HTTP Request node with the Bilibili credential", () => {
	beforeEach(() => sim.reset());

	it.each([
		['Form Urlencoded', 'form-urlencoded'],
		['Form-Data', 'multipart-form-data'],
	])('a %s write is signed with csrf and succeeds', async (_name, contentType) => {
		const { runData } = await executeWorkflow({
			id: `httpWrite${contentType.replace(/\W/g, '').slice(0, 8)}`,
			name: `HTTP Request ${contentType}`,
			nodes: [
				{
					id: 'a',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'h',
					name: 'Update signature',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [200, 0],
					parameters: {
						method: 'POST',
						url: `${sim.url}/x/member/web/sign/update`,
						authentication: 'predefinedCredentialType',
						nodeCredentialType: 'bilibiliApi',
						sendBody: true,
						contentType,
						bodyParameters: {
							parameters: [{ name: 'user_sign', value: `signed by ${contentType}` }],
						},
						options: {},
					},
					credentials: credentials('simGood'),
				},
			],
			connections: { Start: { main: [[{ node: 'Update signature', type: 'main', index: 0 }]] } },
		});
		expect(runData['Update signature'][0].error).toBeUndefined();
		expect(runData['Update signature'][0].data!.main![0]![0].json).toMatchObject({ code: 0 });
		const [request] = sim.requestsTo('/x/member/web/sign/update');
		expect(request.csrfValid).toBe(true);
		expect(sim.state.sign).toBe(`signed by ${contentType}`);
	});
});

describe('n8n execute: the credential renews its login', () => {
	const INFO = '/x/passport-login/web/cookie/info';
	const REFRESH = '/x/passport-login/web/cookie/refresh';
	const CONFIRM = '/x/passport-login/web/confirm/refresh';
	beforeEach(() => sim.reset());
	// The simulator's own login was confirmed away: the suites after this one start from a fresh one.
	afterEach(() => sim.reset());

	const profileWorkflow = {
		id: 'renewLogin01',
		name: 'Profile with a login to renew',
		nodes: [
			{
				id: 'a',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'p',
				name: 'Profile',
				type: bilibili('bilibiliAccount'),
				typeVersion: 1,
				position: [200, 0],
				parameters: { operation: 'getProfile' },
				credentials: credentials('simRenew'),
			},
		],
		connections: { Start: { main: [[{ node: 'Profile', type: 'main', index: 0 }]] } },
	};

	async function cookiesWork(SESSDATA: unknown, bili_jct: unknown): Promise<boolean> {
		const client = new BilibiliClient({
			credentials: { ...sim.credentials, SESSDATA: String(SESSDATA), bili_jct: String(bili_jct) },
			baseUrl: sim.url,
			fetchBuvid: false,
		});
		try {
			await client.account.getProfile();
			return true;
		} catch {
			return false;
		} finally {
			client.close();
		}
	}

	it('a refresh due: n8n stores the new login, the next run confirms the old one away, no output holds a login value', async () => {
		const old = { ...sim.credentials, refreshToken: SIM_REFRESH_TOKEN };
		await n8n.import('credentials', [
			credential('simRenew', {
				...old,
				baseUrl: sim.url,
				minIntervalMs: 0,
				refreshPublicKey: sim.refreshKeys.publicKey,
			}),
		]);
		sim.state.refreshDue = true;

		const first = await executeWorkflow(profileWorkflow);
		expect(first.runData.Profile[0].error).toBeUndefined();
		expect(first.runData.Profile[0].data!.main![0]![0].json).toMatchObject({ mid: SELF });
		const renewed = await storedCredential(n8n, 'simRenew');
		expect(renewed.SESSDATA).not.toBe(old.SESSDATA);
		expect(renewed.bili_jct).not.toBe(old.bili_jct);
		expect(renewed.refreshToken).not.toBe(old.refreshToken);
		expect(renewed.sessionRenewal).toEqual(expect.stringMatching(/\S/));
		expect(sim.requestsTo(REFRESH).map((r) => r.code)).toEqual([0]);
		// Stored before anything is confirmed: the old session still works.
		expect(sim.requestsTo(CONFIRM)).toHaveLength(0);
		expect(await cookiesWork(old.SESSDATA, old.bili_jct)).toBe(true);
		expect(await cookiesWork(renewed.SESSDATA, renewed.bili_jct)).toBe(true);

		const second = await executeWorkflow(profileWorkflow);
		expect(second.runData.Profile[0].error).toBeUndefined();
		expect(second.runData.Profile[0].data!.main![0]![0].json).toMatchObject({ mid: SELF });
		// Code 0: sent with the new session (the simulator answers -400 to the old one).
		expect(sim.requestsTo(CONFIRM).map((r) => r.code)).toEqual([0]);
		const after = await storedCredential(n8n, 'simRenew');
		expect(after.SESSDATA).toBe(renewed.SESSDATA);
		expect(after.sessionRenewal).toBe('');
		expect(await cookiesWork(old.SESSDATA, old.bili_jct)).toBe(false);
		expect(await cookiesWork(renewed.SESSDATA, renewed.bili_jct)).toBe(true);
		// A check in each run (each `n8n execute` is its own process), one refresh.
		expect(sim.requestsTo(INFO).length).toBeGreaterThanOrEqual(1);
		expect(sim.requestsTo(REFRESH)).toHaveLength(1);

		const text = JSON.stringify([first, second]);
		for (const value of [
			old.SESSDATA,
			old.bili_jct,
			old.refreshToken,
			renewed.SESSDATA,
			renewed.bili_jct,
			renewed.refreshToken,
		])
			expect(text).not.toContain(String(value));
	});
});

describe("n8n execute: the shipped example workflows, with n8n's real core nodes", () => {
	/** An example as a user imports it: the Bilibili credential picked on each Bilibili node, and the Creator (UP) Mid typed in when given. */
	function imported(file: string, upMid?: string) {
		const workflow = JSON.parse(
			readFileSync(path.join(PACKAGE_ROOT, 'n8n-workflows', file), 'utf8'),
		) as {
			id?: string;
			nodes: Array<{ type: string; credentials?: unknown; parameters: Record<string, unknown> }>;
		};
		workflow.id = `example${file.replace(/\W/g, '').slice(0, 12)}`;
		for (const node of workflow.nodes) {
			if (node.type.startsWith('n8n-nodes-bilibili.')) node.credentials = credentials('simGood');
			if (upMid !== undefined && 'upMid' in node.parameters) node.parameters.upMid = upMid;
		}
		return workflow as typeof workflow & { id: string };
	}

	it.each([
		[
			'daily-account-report.json',
			undefined,
			() => expect(sim.requestsTo('/x/member/web/exp/reward')).toHaveLength(1),
		],
		[
			'monthly-charge.json',
			'19978396',
			() =>
				expect([...sim.state.orders.values()].map((o) => [o.up_mid, o.bp_num, o.message])).toEqual([
					[19978396, 5, '每月一充,支持一下!'],
				]),
		],
	])('%s runs from its Manual Trigger (Creator (UP) Mid: %s)', async (file, upMid, check) => {
		sim.reset();
		const workflow = imported(file, upMid);
		await n8n.import('workflow', workflow);
		const result = await n8n.execute(workflow.id);
		expect(result.run).toMatchObject({ status: 'success' });
		check();
	});

	// n8n refuses the run (its engine names the empty required parameter, see test/n8n/examples.test.ts;
	// the CLI only reports that no execution ran): nothing reaches Bilibili.
	it('monthly-charge.json as imported, only the credential picked: the run is refused and nothing is sent', async () => {
		sim.reset();
		const workflow = imported('monthly-charge.json');
		workflow.id = 'exampleAsIs01';
		await n8n.import('workflow', workflow);
		const result = await n8n.execute(workflow.id);
		expect(result.run).toBeUndefined();
		expect(result.code).not.toBe(0);
		expect(sim.requests.filter((r) => r.method === 'POST')).toEqual([]);
		expect(sim.state.orders.size).toBe(0);
	});
});

describe('n8n execute: dates east of Beijing', () => {
	it('n8n running in Asia/Tokyo sends the day picked in the date filter', async () => {
		sim.reset();
		await n8n.import('workflow', {
			id: 'datesTokyo01',
			name: 'Remarks since New Year',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'a',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'g',
					name: 'Get Many',
					type: bilibili('bilibiliRemark'),
					typeVersion: 1,
					position: [200, 0],
					// What n8n's date picker stores: the local midnight of the picked day, without an offset.
					parameters: {
						operation: 'getMany',
						returnAll: true,
						filters: { begin: '2026-01-01T00:00:00', end: '2026-01-31T00:00:00' },
					},
					credentials: credentials('simGood'),
				},
			],
			connections: { Start: { main: [[{ node: 'Get Many', type: 'main', index: 0 }]] } },
		});
		const result = await n8n.execute('datesTokyo01', {
			TZ: 'Asia/Tokyo',
			GENERIC_TIMEZONE: 'Asia/Tokyo',
		});
		expect(result.run).toMatchObject({ status: 'success' });
		expect(
			sim.requestsTo('/x/web/elec/remark/list').map((r) => [r.query.begin, r.query.end]),
		).toEqual([['2026-01-01', '2026-01-31']]);
	});
});

describe('n8n start', () => {
	it('a logged-out QR Pay Trigger fails activation and stays under the request bound', async () => {
		await n8n.import('workflow', {
			id: 'qrLoggedOut01',
			name: 'QR kiosk, logged out',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'q',
					name: 'Charge QR Code',
					type: bilibili('bilibiliQrPayTrigger'),
					typeVersion: 1,
					position: [0, 0],
					parameters: {
						events: ['created', 'paid'],
						upMid: String(SELF),
						amount: 5,
						renew: true,
						pollInterval: 1,
					},
					credentials: credentials('simLoggedOut'),
				},
			],
			connections: {},
		});
		const published = await n8n.cli('publish:workflow', '--id=qrLoggedOut01');
		expect(published.code).toBe(0);
		sim.requests.length = 0;
		await n8n.start();
		// Watch for two minutes: n8n keeps re-activating a trigger whose activation failed.
		await new Promise((r) => setTimeout(r, 120_000));
		await n8n.stop();
		// n8n reports the failed activation with Bilibili's reason.
		expect(n8n.log).toContain('-101');
		expect((await n8n.cli('unpublish:workflow', '--id=qrLoggedOut01')).code).toBe(0);
		const creates = sim.requestsTo(CREATE).map((r) => r.at);
		// The gate allows 0, 2, 12, 42, 102 s; activation timing adds slack, never more requests.
		expect(creates.length).toBeGreaterThan(0);
		expect(creates.length).toBeLessThanOrEqual(5);
		for (let i = 3; i < creates.length; i++)
			expect(creates[i] - creates[i - 1]).toBeGreaterThanOrEqual(29_000);
	});

	it('QR Pay Trigger poll intervals: 900 s fails activation naming the field; 2.5 s polls', async () => {
		sim.reset();
		const qrTrigger = (id: string, pollInterval: number, amount: number) => ({
			id,
			name: `QR trigger every ${pollInterval} s`,
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'q',
					name: 'Charge QR Code',
					type: bilibili('bilibiliQrPayTrigger'),
					typeVersion: 1,
					position: [0, 0],
					parameters: {
						events: ['created', 'paid'],
						upMid: String(SELF),
						amount,
						renew: true,
						pollInterval,
					},
					credentials: credentials('simGood'),
				},
			],
			connections: {},
		});
		await n8n.import('workflow', qrTrigger('qrSlow01', 900, 7));
		await n8n.import('workflow', qrTrigger('qrFraction01', 2.5, 9));
		expect((await n8n.cli('publish:workflow', '--id=qrSlow01')).code).toBe(0);
		expect((await n8n.cli('publish:workflow', '--id=qrFraction01')).code).toBe(0);
		await n8n.start();
		try {
			const refusal =
				'Invalid Poll Interval (Seconds): expected a number of seconds from 1 to 600, got 900';
			// n8n activates the two one after the other: wait for both.
			for (
				let i = 0;
				i < 480 && (sim.requestsTo(STATUS).length < 2 || !n8n.log.includes(refusal));
				i++
			)
				await new Promise((r) => setTimeout(r, 250));
			// The 2.5 s trigger made its code and polls it.
			expect(sim.requestsTo(STATUS).length).toBeGreaterThanOrEqual(2);
			expect(sim.requestsTo(CREATE).map((r) => r.form.bp_num)).toEqual(['9']);
			// The 900 s one never sent anything, and n8n says why, naming the field.
			expect(n8n.log).toContain(refusal);
		} finally {
			await n8n.stop();
			await n8n.cli('unpublish:workflow', '--id=qrSlow01');
			await n8n.cli('unpublish:workflow', '--id=qrFraction01');
		}
	});

	it('Remark Trigger → Reply answers each new remark exactly once, across a restart', async () => {
		const REPLY = '/x/web/elec/remark/reply';
		await n8n.import('workflow', {
			id: 'thankRemarks01',
			name: 'Thank new remarks',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 't',
					name: 'New Remark',
					type: bilibili('bilibiliRemarkTrigger'),
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, includeDetails: true },
					credentials: credentials('simGood'),
				},
				{
					id: 'r',
					name: 'Reply',
					type: bilibili('bilibiliRemark'),
					typeVersion: 1,
					position: [200, 0],
					parameters: {
						operation: 'reply',
						remarkId: '={{ $json.id }}',
						message: '={{ "谢谢" + $json.uname }}',
					},
					credentials: credentials('simGood'),
				},
			],
			connections: { 'New Remark': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
		});
		sim.addRemark({ msg: 'before activation' });
		expect((await n8n.cli('publish:workflow', '--id=thankRemarks01')).code).toBe(0);
		const replied = (id: number) =>
			sim.requestsTo(REPLY).filter((r) => r.form.id === String(id)).length;
		const until = async (what: string, check: () => boolean) => {
			for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 500));
			if (!check())
				throw new Error(`timed out waiting for ${what}; n8n log: ${n8n.log.slice(-2000)}`);
		};
		await n8n.start();
		// The first poll only remembers where things stand.
		await until('the first poll', () => sim.requestsTo('/x/web/elec/remark/list').length > 0);
		const first = sim.addRemark({ msg: 'while running', uname: '小明' });
		await until('the first reply', () => replied(first.id) > 0);
		await n8n.stop();
		const second = sim.addRemark({ msg: 'while n8n was down', uname: '小红' });
		await n8n.start();
		await until('the second reply', () => replied(second.id) > 0);
		// One more poll, to see nothing is answered twice.
		const polls = sim.requestsTo('/x/web/elec/remark/list').length;
		await until('one more poll', () => sim.requestsTo('/x/web/elec/remark/list').length > polls);
		await n8n.stop();
		expect([replied(first.id), replied(second.id)]).toEqual([1, 1]);
		expect(sim.state.findRemark(first.id)).toMatchObject({ state: 1, reply_msg: '谢谢小明' });
		expect(sim.state.findRemark(second.id)).toMatchObject({ state: 1, reply_msg: '谢谢小红' });
		expect(sim.state.remarks.find((r) => r.msg === 'before activation')?.state).toBe(0);
	});

	it('a workflow timeout (as Stop) ends a running Wait for QR Payment at once, the server still running', async () => {
		const client = new BilibiliClient({
			credentials: sim.credentials,
			baseUrl: sim.url,
			rateLimit: false,
		});
		const code = await client.charge.createQrPay({ up_mid: SELF, bp_num: 5 });
		client.close();
		await n8n.import('workflow', {
			id: 'waitTimeout01',
			name: 'Wait with a timeout',
			active: false,
			// n8n stops the execution after 5 s, as the Stop button would.
			settings: { executionOrder: 'v1', executionTimeout: 5 },
			nodes: [
				{
					id: 'h',
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: '6f1c7f0e-0b0a-4c1e-9a55-bilibiliwait'.replace('bilibiliwait', '0123456789ab'),
					parameters: { path: 'bilibili-wait', httpMethod: 'GET', responseMode: 'onReceived' },
				},
				{
					id: 'w',
					name: 'Wait for QR Payment',
					type: bilibili('bilibiliCharge'),
					typeVersion: 1,
					position: [200, 0],
					parameters: {
						operation: 'waitForQrPayment',
						qrToken: code.qr_token,
						pollInterval: 1,
						timeoutMinutes: 10,
					},
					credentials: credentials('simGood'),
				},
			],
			connections: {
				Webhook: { main: [[{ node: 'Wait for QR Payment', type: 'main', index: 0 }]] },
			},
		});
		expect((await n8n.cli('publish:workflow', '--id=waitTimeout01')).code).toBe(0);
		await n8n.start();
		try {
			// n8n registers published webhooks just after the editor comes up.
			let hook = await fetch(`http://127.0.0.1:${n8n.port}/webhook/bilibili-wait`);
			for (let i = 0; i < 120 && hook.status === 404; i++) {
				await new Promise((r) => setTimeout(r, 250));
				hook = await fetch(`http://127.0.0.1:${n8n.port}/webhook/bilibili-wait`);
			}
			if (hook.status !== 200)
				throw new Error(
					`webhook answered ${hook.status}: ${await hook.text()}; n8n log: ${n8n.log.slice(-3000)}`,
				);
			for (let i = 0; i < 200 && sim.requestsTo(STATUS).length < 2; i++)
				await new Promise((r) => setTimeout(r, 100));
			expect(sim.requestsTo(STATUS).length).toBeGreaterThanOrEqual(2);
			// Past the 5 s timeout (with slack for a loaded machine), then three quiet seconds while n8n keeps running.
			await new Promise((r) => setTimeout(r, 8000));
			const polls = sim.requestsTo(STATUS).length;
			await new Promise((r) => setTimeout(r, 3000));
			expect(sim.requestsTo(STATUS)).toHaveLength(polls);
			expect(polls).toBeLessThan(12);
		} finally {
			await n8n.stop();
		}
	});

	it("the credential's Test button: OK for good cookies, -101 explained for logged-out ones, a due refresh stored, through n8n's REST API", async () => {
		const renew = {
			...sim.credentials,
			baseUrl: sim.url,
			minIntervalMs: 0,
			refreshToken: SIM_REFRESH_TOKEN,
			refreshPublicKey: sim.refreshKeys.publicKey,
		};
		await n8n.import('credentials', [credential('simRenewTest', renew)]);
		await n8n.start();
		try {
			const base = `http://127.0.0.1:${n8n.port}`;
			// n8n binds its auth cookie to a browser id sent as a header.
			const browser = { 'Content-Type': 'application/json', 'browser-id': 'bilibili-tests' };
			const owner = JSON.stringify({
				email: 'owner@example.com',
				firstName: 'Test',
				lastName: 'Owner',
				password: 'Bilibili-tests-1',
			});
			// n8n registers its REST routes a moment after /healthz answers (as with webhooks).
			let setup = await fetch(`${base}/rest/owner/setup`, {
				method: 'POST',
				headers: browser,
				body: owner,
			});
			for (let i = 0; i < 120 && setup.status === 404; i++) {
				await new Promise((r) => setTimeout(r, 250));
				setup = await fetch(`${base}/rest/owner/setup`, {
					method: 'POST',
					headers: browser,
					body: owner,
				});
			}
			if (setup.status !== 200)
				throw new Error(
					`owner setup answered ${setup.status}: ${await setup.text()}; n8n log: ${n8n.log.slice(-3000)}`,
				);
			const auth = (setup.headers.get('set-cookie') ?? '').split(';')[0];
			expect(auth).toMatch(/^n8n-auth=/);
			// As the credential dialog sends it: the saved credential's id, and the data shown in the dialog.
			const test = async (id: string, data: Record<string, unknown>) => {
				const res = await fetch(`${base}/rest/credentials/test`, {
					method: 'POST',
					headers: { ...browser, Cookie: auth },
					body: JSON.stringify({
						credentials: { id, name: `Bilibili ${id}`, type: 'bilibiliApi', data },
					}),
				});
				const text = await res.text();
				if (res.status !== 200) throw new Error(`credentials/test answered ${res.status}: ${text}`);
				return (JSON.parse(text) as { data: { status: string; message: string } }).data;
			};
			const before = sim.requestsTo('/x/member/web/account').length;
			expect(
				await test('simGood', { ...sim.credentials, baseUrl: sim.url, minIntervalMs: 0 }),
			).toMatchObject({ status: 'OK' });
			const loggedOut = await test('simLoggedOut', {
				...sim.credentials,
				SESSDATA: 'logged-out',
				baseUrl: sim.url,
			});
			expect(loggedOut).toEqual({
				status: 'Error',
				message: expect.stringContaining('SESSDATA expired or wrong (code -101'),
			});
			// The Test button really asked Bilibili (the simulator), with the cookies the credential's authenticate set.
			const asked = sim.requestsTo('/x/member/web/account').slice(before);
			expect(asked.map((r) => [r.cookies.includes('SESSDATA'), r.code])).toEqual([
				[true, 0],
				[true, -101],
			]);
			expect(loggedOut.message).not.toContain(sim.credentials.SESSDATA);

			// A test of a credential whose refresh is due: the check runs in the test, and n8n stores the renewal.
			sim.state.refreshDue = true;
			const info = sim.requestsTo('/x/passport-login/web/cookie/info').length;
			expect(await test('simRenewTest', renew)).toMatchObject({ status: 'OK' });
			expect(sim.requestsTo('/x/passport-login/web/cookie/info').length).toBe(info + 1);
			expect(sim.requestsTo('/x/passport-login/web/cookie/refresh').map((r) => r.code)).toEqual([
				0,
			]);
		} finally {
			await n8n.stop();
		}
		const stored = await storedCredential(n8n, 'simRenewTest');
		expect(stored.SESSDATA).not.toBe(renew.SESSDATA);
		expect(stored.refreshToken).not.toBe(SIM_REFRESH_TOKEN);
		expect(stored.sessionRenewal).toEqual(expect.stringMatching(/\S/));
		sim.reset();
	});
});
