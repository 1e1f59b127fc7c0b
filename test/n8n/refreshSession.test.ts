/**
 * Account → Refresh Session in n8n-core's workflow execution: it asks the credential to check now, the
 * credential's preAuthentication renews the login and n8n stores it (dev/n8nEngine.ts follows n8n's
 * credentials helper); the output says only whether and when, never a login value.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { SIM_REFRESH_TOKEN } from '../../simulator/state';
import { runWorkflow, singleNodeWorkflow } from '../../dev/n8nEngine';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const INFO = '/x/passport-login/web/cookie/info';
const CONFIRM = '/x/passport-login/web/confirm/refresh';
const DAY = 24 * 60 * 60 * 1000;

// The credential checks once a day per login and process: each test starts on a new day.
const realNow = Date.now.bind(Date);
let shift = 0;
beforeAll(() => jest.spyOn(Date, 'now').mockImplementation(() => realNow() + shift));
afterAll(() => jest.restoreAllMocks());
beforeEach(() => (shift += 2 * DAY));

const newStore = (): Record<string, ICredentialDataDecryptedObject> => ({
	bilibiliApi: {
		...ctx.sim.credentials,
		buvid3: 'sim-buvid3-refresh',
		baseUrl: ctx.url,
		refreshToken: SIM_REFRESH_TOKEN,
	},
});

const refreshWorkflow = (options: Record<string, unknown> = {}) =>
	singleNodeWorkflow('Refresh', 'bilibiliAccount', {
		operation: 'refreshSession',
		refreshOptions: { publicKey: ctx.sim.refreshKeys.publicKey, ...options },
	});

const run = (
	credentials: Record<string, ICredentialDataDecryptedObject>,
	items = 1,
	options: Record<string, unknown> = {},
) =>
	runWorkflow(refreshWorkflow(options), {
		credentials,
		startAt: 'Refresh',
		input: Array.from({ length: items }, () => ({ json: {} })),
	});

describe('Bilibili Account: Refresh Session', () => {
	it('not due: outputs refreshed: false and when it checked; nothing stored', async () => {
		const store = newStore();
		const before = { ...store.bilibiliApi };
		const result = await run(store);
		expect(result.output('Refresh').map((i) => i.json)).toEqual([
			{ refreshed: false, checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
		]);
		expect(store.bilibiliApi).toEqual(before);
		expect(ctx.sim.requestsTo(INFO)).toHaveLength(1);
	});

	it('due: the credential is renewed, the output says only when, and the next run confirms', async () => {
		const store = newStore();
		const old = { ...store.bilibiliApi };
		ctx.sim.state.refreshDue = true;
		const result = await run(store);
		const out = result.output('Refresh').map((i) => i.json);
		expect(out).toEqual([
			{ refreshed: true, refreshedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
		]);
		const renewed = store.bilibiliApi;
		expect(renewed.SESSDATA).not.toBe(old.SESSDATA);
		expect(renewed.refreshToken).not.toBe(old.refreshToken);
		const data = JSON.stringify(result.run.data);
		for (const value of [
			old.SESSDATA,
			old.bili_jct,
			old.refreshToken,
			renewed.SESSDATA,
			renewed.bili_jct,
			renewed.refreshToken,
		])
			expect(data).not.toContain(value);
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(0);

		const again = await run(store);
		expect(ctx.sim.requestsTo(CONFIRM).map((r) => r.code)).toEqual([0]);
		expect(again.output('Refresh').map((i) => i.json)).toEqual([
			{ refreshed: false, checkedAt: expect.any(String) },
		]);
	});

	it('"Even If Not Due" renews a login Bilibili does not ask to refresh', async () => {
		const store = newStore();
		const old = String(store.bilibiliApi.SESSDATA);
		const result = await run(store, 1, { force: true });
		expect(result.output('Refresh')[0].json).toMatchObject({ refreshed: true });
		expect(store.bilibiliApi.SESSDATA).not.toBe(old);
	});

	it('with two input items: refuses before sending anything', async () => {
		const store = newStore();
		ctx.sim.state.refreshDue = true;
		const result = await run(store, 2);
		expect(String(result.error('Refresh')?.message)).toMatch(
			/takes one input item, got 2: nothing was sent/,
		);
		expect(ctx.sim.requests).toHaveLength(0);
		expect(store.bilibiliApi.SESSDATA).toBe(ctx.sim.credentials.SESSDATA);
	});
});
