/**
 * The Bilibili API credential renews its login through n8n's own mechanism (preAuthentication and an
 * expirable hidden field), in n8n-core's workflow execution: the credentials helper of dev/n8nEngine.ts
 * follows n8n's (when the hook runs, what is stored, expression fields left alone), and `store` below
 * is n8n's database.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy, type ICredentialDataDecryptedObject, type IRun } from 'n8n-workflow';
import { BilibiliClient } from '../../index';
import { SIM_REFRESH_TOKEN } from '../../simulator/state';
import { PollContext } from 'n8n-core';
import type { INodeType } from 'n8n-workflow';
import {
	additionalDataFor,
	readWorkflow,
	runWorkflow,
	singleNodeWorkflow,
	workflowFrom,
} from '../../dev/n8nEngine';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const INFO = '/x/passport-login/web/cookie/info';
const REFRESH = '/x/passport-login/web/cookie/refresh';
const CONFIRM = '/x/passport-login/web/confirm/refresh';
const UPLOAD = '/x/custom/msg_svr/v1/upload';
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
const DAY = 24 * 60 * 60 * 1000;

// The check runs once a day per login and process: each test starts two days after the last one.
const realNow = Date.now.bind(Date);
let shift = 0;
beforeAll(() => jest.spyOn(Date, 'now').mockImplementation(() => realNow() + shift));
afterAll(() => jest.restoreAllMocks());
beforeEach(() => (shift += 2 * DAY));

// What the credential logs, through n8n's LoggerProxy (n8n's Logger takes it over when created, so
// it is created first).
const logs: string[] = [];
beforeAll(() => {
	Container.get(Logger);
	const keep = (message: string) => void logs.push(message);
	LoggerProxy.init({ error: keep, warn: keep, info: keep, debug: keep } as never);
});
beforeEach(() => (logs.length = 0));

/** n8n's database for the run: one Bilibili API credential with a refresh token. */
function newStore(extra: ICredentialDataDecryptedObject = {}) {
	return {
		bilibiliApi: {
			...ctx.sim.credentials,
			buvid3: 'sim-buvid3-renewal',
			baseUrl: ctx.url,
			refreshToken: SIM_REFRESH_TOKEN,
			refreshPublicKey: ctx.sim.refreshKeys.publicKey,
			...extra,
		} as ICredentialDataDecryptedObject,
	};
}

const profile = singleNodeWorkflow('Profile', 'bilibiliAccount', { operation: 'getProfile' });
const runProfile = (credentials: Record<string, ICredentialDataDecryptedObject>) =>
	runWorkflow(profile, { credentials, startAt: 'Profile', input: [{ json: {} }] });

async function cookiesWork(SESSDATA: string, bili_jct: string): Promise<boolean> {
	const client = new BilibiliClient({
		credentials: { ...ctx.sim.credentials, SESSDATA, bili_jct },
		baseUrl: ctx.url,
		fetchBuvid: false,
	});
	ctx.clients.push(client);
	return client.account.getProfile().then(
		() => true,
		() => false,
	);
}

/** Every value of a login that must never reach execution data. */
function expectNoLoginValue(runs: IRun[], values: unknown[]) {
	const text = JSON.stringify(runs.map((r) => r.data));
	for (const value of values) {
		expect(typeof value === 'string' && value.length > 8).toBe(true);
		expect(text).not.toContain(value as string);
	}
}

describe('n8n: the credential renews its login', () => {
	it('refresh due: n8n stores the new login; the confirm goes out only once the credential resolves it', async () => {
		const old = { ...ctx.sim.credentials };
		ctx.sim.state.refreshDue = true;
		const store = newStore();

		const first = await runProfile(store);
		expect(first.output('Profile')[0].json).toMatchObject({ mid: Number(old.DedeUserID) });
		const stored = store.bilibiliApi;
		expect(stored.SESSDATA).not.toBe(old.SESSDATA);
		expect(stored.bili_jct).not.toBe(old.bili_jct);
		expect(stored.refreshToken).not.toBe(SIM_REFRESH_TOKEN);
		expect(stored.refreshToken).toEqual(expect.any(String));
		expect(stored.sessionCheck).toBe('');
		expect(stored.sessionRenewal).not.toBe('');
		// Stored, not yet confirmed: both sessions work.
		expect(ctx.sim.requestsTo(REFRESH).map((r) => r.code)).toEqual([0]);
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(0);
		expect(await cookiesWork(old.SESSDATA, old.bili_jct)).toBe(true);
		const renewed = { ...stored };

		const second = await runProfile(store);
		expect(second.output('Profile')[0].json).toMatchObject({ mid: Number(old.DedeUserID) });
		// Code 0: sent with the new session's cookies (the simulator answers -400 to any other).
		expect(ctx.sim.requestsTo(CONFIRM).map((r) => r.code)).toEqual([0]);
		expect(store.bilibiliApi.sessionRenewal).toBe('');
		expect(store.bilibiliApi.SESSDATA).toBe(renewed.SESSDATA);
		expect(await cookiesWork(old.SESSDATA, old.bili_jct)).toBe(false);
		expect(await cookiesWork(String(renewed.SESSDATA), String(renewed.bili_jct))).toBe(true);
		// One check for both runs: the renewed login is not due.
		expect(ctx.sim.requestsTo(INFO)).toHaveLength(1);

		await runProfile(store);
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(1);
		expectNoLoginValue(
			[first.run, second.run],
			[
				old.SESSDATA,
				old.bili_jct,
				SIM_REFRESH_TOKEN,
				renewed.SESSDATA,
				renewed.bili_jct,
				renewed.refreshToken,
			],
		);
		const log = logs.join('\n');
		expect(log).toMatch(/renewed/);
		for (const value of [old.SESSDATA, renewed.SESSDATA, renewed.refreshToken, SIM_REFRESH_TOKEN])
			expect(log).not.toContain(value);
	});

	it('not due: nothing refreshed or stored, and one check per login per day', async () => {
		const store = newStore();
		const before = { ...store.bilibiliApi };
		await runProfile(store);
		await runProfile(store);
		expect(ctx.sim.requestsTo(INFO)).toHaveLength(1);
		expect(ctx.sim.requestsTo(REFRESH)).toHaveLength(0);
		expect(store.bilibiliApi).toEqual(before);

		shift += DAY;
		await runProfile(store);
		expect(ctx.sim.requestsTo(INFO)).toHaveLength(2);
	});

	it('a failing check does not fail the request; it is logged and tried again the next day', async () => {
		const store = newStore();
		const before = { ...store.bilibiliApi };
		ctx.sim.state.refreshDue = true;
		ctx.sim.injectFault({ type: 'http500', path: INFO, times: 10 });
		const result = await runProfile(store);
		expect(result.error('Profile')).toBeUndefined();
		expect(result.output('Profile')[0].json).toMatchObject({ mid: expect.any(Number) });
		expect(store.bilibiliApi).toEqual(before);
		expect(logs.join('\n')).toMatch(/session check failed \(tried again tomorrow\)/);
		expect(logs.join('\n')).not.toContain(before.SESSDATA);
		const checks = ctx.sim.requestsTo(INFO).length;
		expect(checks).toBeGreaterThan(0);

		ctx.sim.clearFaults();
		await runProfile(store);
		expect(ctx.sim.requestsTo(INFO)).toHaveLength(checks);

		shift += DAY;
		await runProfile(store);
		expect(ctx.sim.requestsTo(REFRESH).map((r) => r.code)).toEqual([0]);
		expect(store.bilibiliApi.SESSDATA).not.toBe(before.SESSDATA);
	});

	it('a worker that loses the race for the token (86095) stores nothing and confirms nothing', async () => {
		const store = newStore();
		const before = { ...store.bilibiliApi };
		// Another worker refreshes first with the same token (and has not confirmed yet).
		const other = new BilibiliClient({
			credentials: ctx.sim.credentials,
			baseUrl: ctx.url,
			fetchBuvid: false,
			refreshPublicKey: ctx.sim.refreshKeys.publicKey,
		});
		ctx.clients.push(other);
		await other.session.refresh({
			refreshToken: SIM_REFRESH_TOKEN,
			onRefreshed: () => undefined,
			force: true,
			confirm: false,
		});
		ctx.sim.state.refreshDue = true;

		const result = await runProfile(store);
		expect(result.output('Profile')[0].json).toMatchObject({ mid: expect.any(Number) });
		expect(ctx.sim.requestsTo(REFRESH).map((r) => r.code)).toEqual([0, 86095]);
		expect(store.bilibiliApi).toEqual(before);
		await runProfile(store);
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(0);
		expect(store.bilibiliApi).toEqual(before);
	});

	it('a SESSDATA set by an expression is left alone, and the old session is not confirmed away', async () => {
		const old = { ...ctx.sim.credentials };
		const expression = `={{ "${old.SESSDATA}" }}`;
		const store = newStore({ SESSDATA: expression });
		ctx.sim.state.refreshDue = true;
		await runProfile(store);
		expect(store.bilibiliApi.SESSDATA).toBe(expression);
		expect(store.bilibiliApi.refreshToken).not.toBe(SIM_REFRESH_TOKEN);
		const second = await runProfile(store);
		expect(second.output('Profile')[0].json).toMatchObject({ mid: expect.any(Number) });
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(0);
		expect(logs.join('\n')).toMatch(/could not store the new SESSDATA/);
	});

	it('a confirm refused for now (-412) stays pending and is sent again the next day', async () => {
		const old = { ...ctx.sim.credentials };
		ctx.sim.state.refreshDue = true;
		const store = newStore();
		await runProfile(store);
		const renewal = store.bilibiliApi.sessionRenewal;
		expect(renewal).not.toBe('');

		ctx.sim.injectFault({ type: 'code', code: -412, path: CONFIRM });
		const second = await runProfile(store);
		expect(second.error('Profile')).toBeUndefined();
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(1);
		expect(store.bilibiliApi.sessionRenewal).toBe(renewal);
		expect(await cookiesWork(old.SESSDATA, old.bili_jct)).toBe(true);
		expect(logs.join('\n')).toMatch(/tried again tomorrow/);

		await runProfile(store);
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(1);
		shift += DAY;
		await runProfile(store);
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(2);
		expect(ctx.sim.requestsTo(CONFIRM)[1].code).toBe(0);
		expect(store.bilibiliApi.sessionRenewal).toBe('');
		expect(await cookiesWork(old.SESSDATA, old.bili_jct)).toBe(false);
	});

	it('a charge waits for a slow renewal before it is sent: not outcome unknown, sent once', async () => {
		ctx.sim.state.refreshDue = true;
		ctx.sim.state.balance = 1000;
		const store = newStore();
		const old = store.bilibiliApi.SESSDATA;
		// The hook's requests take longer together than a charge's 15 s deadline, each less than its own.
		ctx.sim.injectFault({ type: 'slow', path: INFO, delayMs: 8000 });
		ctx.sim.injectFault({ type: 'slow', path: REFRESH, delayMs: 8000 });
		const result = await runWorkflow(readWorkflow('charge-bcoin.workflow.json'), {
			credentials: store,
			input: [{ json: { up_mid: 293793435, amount: 2, message: 'slow renewal' } }],
		});
		expect(result.error('Charge')).toBeUndefined();
		expect(result.output('Charge')[0].json).toMatchObject({ bp_num: 2, status: 4 });
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
		expect(store.bilibiliApi.SESSDATA).not.toBe(old);
	}, 90_000);

	it('an upload renewed on its way goes with the csrf of the new login (not -111)', async () => {
		ctx.sim.state.refreshDue = true;
		const store = newStore();
		const old = store.bilibiliApi.SESSDATA;
		const file = (fill: number) => ({
			json: {},
			binary: {
				data: {
					data: Buffer.alloc(2000, fill).toString('base64'),
					mimeType: 'image/png',
					fileName: 'shot.png',
					fileSize: '2000 B',
				},
			},
		});
		const upload = singleNodeWorkflow('Upload', 'bilibiliCustomerService', {
			operation: 'uploadFile',
			binaryPropertyName: 'data',
			fileName: '',
		});
		const result = await runWorkflow(upload, {
			credentials: store,
			startAt: 'Upload',
			input: [file(1), file(2)],
		});
		expect(result.error('Upload')).toBeUndefined();
		expect(result.output('Upload').map((i) => i.json.size)).toEqual([2000, 2000]);
		expect(ctx.sim.requestsTo(UPLOAD).map((r) => r.code)).toEqual([0, 0]);
		expect(store.bilibiliApi.SESSDATA).not.toBe(old);
	});

	it('a renewal n8n failed to store is logged once, and not refreshed again that day', async () => {
		ctx.sim.state.refreshDue = true;
		let busy = true;
		// n8n's database refuses the write once (SQLite busy).
		const store = new Proxy(newStore(), {
			set(target, key, value) {
				if (busy) {
					busy = false;
					throw new Error('SQLITE_BUSY: database is locked');
				}
				return Reflect.set(target, key, value);
			},
		});
		const before = { ...store.bilibiliApi };
		await runProfile(store);
		expect(ctx.sim.requestsTo(REFRESH).map((r) => r.code)).toEqual([0]);
		expect(store.bilibiliApi).toEqual(before);

		shift += 2 * 60_000;
		const second = await runProfile(store);
		expect(second.output('Profile')[0].json).toMatchObject({ mid: expect.any(Number) });
		const warning = /renewed, but n8n did not store the new login.*log in again/;
		expect(logs.filter((l) => warning.test(l))).toHaveLength(1);

		shift += 60 * 60_000;
		await runProfile(store);
		expect(logs.filter((l) => warning.test(l))).toHaveLength(1);
		expect(ctx.sim.requestsTo(INFO)).toHaveLength(1);
		expect(ctx.sim.requestsTo(REFRESH)).toHaveLength(1);
		for (const value of [before.SESSDATA, before.bili_jct, SIM_REFRESH_TOKEN])
			expect(logs.join('\n')).not.toContain(value);
	});

	it('a renewed login spends from the same 24 hours as the login it replaced', async () => {
		// No DedeUserID: the old login is counted under its SESSDATA, the renewed one under its mid.
		const store = newStore({
			DedeUserID: '',
			refreshToken: '',
			maxBcoinPerCharge: 100,
			maxBcoinPer24h: 100,
		});
		ctx.sim.state.balance = 1000;
		const charge = (message: string) =>
			runWorkflow(readWorkflow('charge-bcoin.workflow.json'), {
				credentials: store,
				input: [{ json: { up_mid: 293793435, amount: 50, message } }],
			});
		for (const message of ['one', 'two'])
			expect((await charge(message)).output('Charge')[0].json).toMatchObject({ bp_num: 50 });
		const old = store.bilibiliApi.SESSDATA;
		store.bilibiliApi.refreshToken = SIM_REFRESH_TOKEN;
		ctx.sim.state.refreshDue = true;
		await runProfile(store);
		expect(store.bilibiliApi.SESSDATA).not.toBe(old);
		expect(store.bilibiliApi.DedeUserID).toEqual(expect.stringMatching(/^\d+$/));

		const third = await charge('three');
		expect(third.error('Charge')?.message).toContain(
			'100 B-coins were charged from this account in the last 24 hours; 50 more would pass the maximum of 100 per 24 hours',
		);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(2);
	});

	it('-101 on a login with a refresh token says it was refreshed elsewhere', async () => {
		const store = newStore();
		// Another place renews the same login and confirms: these cookies are ended.
		const other = new BilibiliClient({
			credentials: ctx.sim.credentials,
			baseUrl: ctx.url,
			fetchBuvid: false,
			refreshPublicKey: ctx.sim.refreshKeys.publicKey,
		});
		ctx.clients.push(other);
		await other.session.refresh({
			refreshToken: SIM_REFRESH_TOKEN,
			onRefreshed: () => undefined,
			force: true,
		});
		const result = await runProfile(store);
		const error = result.error('Profile');
		expect(String(error?.description)).toMatch(/this login was refreshed elsewhere/);
		expect(String(error?.description)).toMatch(/give each place its own login/);

		// A trigger's poll says the same.
		const workflow = await workflowFrom({
			...singleNodeWorkflow('Remarks', 'bilibiliRemarkTrigger', {}),
			id: 'renewal-elsewhere',
		});
		const node = workflow.getNode('Remarks')!;
		const type = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
		const poll = new PollContext(workflow, node, additionalDataFor(store), 'trigger', 'activate');
		await expect(type.poll!.call(poll)).rejects.toMatchObject({
			description: expect.stringMatching(/this login was refreshed elsewhere/),
		});
		// Without a refresh token it cannot be told: the plain -101 explanation.
		const plain = await runProfile(newStore({ refreshToken: '' }));
		expect(String(plain.error('Profile')?.description)).not.toMatch(/elsewhere/);
		expect(String(plain.error('Profile')?.description)).toMatch(/Not logged in/);
	});
});
