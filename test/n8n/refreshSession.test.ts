/**
 * Account → Refresh Session in n8n-core's workflow execution, through the package's credential: n8n
 * cannot rewrite its credential, so the node outputs the new session for the user to store and leaves
 * the old one working (it is not confirmed away).
 */
import { BilibiliClient } from '../../index';
import { SIM_REFRESH_TOKEN } from '../../simulator/state';
import { runWorkflow, singleNodeWorkflow } from '../../dev/n8nEngine';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const creds = () => ({
	bilibiliApi: { ...ctx.sim.credentials, baseUrl: ctx.url, refreshToken: SIM_REFRESH_TOKEN },
});
const CONFIRM = '/x/passport-login/web/confirm/refresh';
/** The node on its own, as if its trigger had fired with one item. */
const START = { startAt: 'Refresh', input: [{ json: {} }] };

const refreshWorkflow = (options: Record<string, unknown> = {}) =>
	singleNodeWorkflow('Refresh', 'bilibiliAccount', {
		operation: 'refreshSession',
		refreshOptions: { publicKey: ctx.sim.refreshKeys.publicKey, ...options },
	});

async function oldCookiesWork(): Promise<boolean> {
	const client = new BilibiliClient({
		credentials: ctx.sim.credentials,
		baseUrl: ctx.url,
		fetchBuvid: false,
	});
	ctx.clients.push(client);
	return client.account.getProfile().then(
		() => true,
		() => false,
	);
}

describe('Bilibili Account: Refresh Session', () => {
	it('outputs refreshed: false when Bilibili does not ask for a refresh', async () => {
		const result = await runWorkflow(refreshWorkflow(), { credentials: creds(), ...START });
		expect(result.output('Refresh').map((i) => i.json)).toEqual([{ refreshed: false }]);
	});

	it('when due: outputs the new cookies and token, and the credential keeps working (not confirmed)', async () => {
		ctx.sim.state.refreshDue = true;
		const result = await runWorkflow(refreshWorkflow(), { credentials: creds(), ...START });
		const [out] = result.output('Refresh').map((i) => i.json);
		expect(out).toMatchObject({
			refreshed: true,
			DedeUserID: String(ctx.sim.credentials.DedeUserID),
			SESSDATA: expect.any(String),
			bili_jct: expect.any(String),
			refresh_token: expect.any(String),
		});
		expect(out.SESSDATA).not.toBe(ctx.sim.credentials.SESSDATA);
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(0);
		expect(await oldCookiesWork()).toBe(true);
		// The new values work as a credential.
		const stored = {
			...ctx.sim.credentials,
			SESSDATA: String(out.SESSDATA),
			bili_jct: String(out.bili_jct),
		};
		const profile = await runWorkflow(
			singleNodeWorkflow('Profile', 'bilibiliAccount', { operation: 'getProfile' }),
			{
				credentials: { bilibiliApi: { ...stored, baseUrl: ctx.url } },
				startAt: 'Profile',
				input: [{ json: {} }],
			},
		);
		expect(profile.output('Profile')[0].json).toMatchObject({ mid: expect.any(Number) });
	});
});
