/**
 * The account config node keeps its login alive in Node-RED's runtime: it checks when its nodes start,
 * refreshes when Bilibili asks, switches every node of the account (polling ones included) before the
 * old session is confirmed away, and keeps the new cookies for a restart before the next Deploy. The
 * restart of a real Node-RED process is in e2e.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BilibiliClient } from '../../index';
import { SIM_REFRESH_TOKEN } from '../../simulator/state';
import { useSimulator } from '../helpers/sim';
import { until } from '../helpers/until';
import { collector, helper, NODES, useRuntime } from './redHelper';

const ctx = useSimulator();
useRuntime();

const REFRESH = '/x/passport-login/web/cookie/refresh';
const CONFIRM = '/x/passport-login/web/confirm/refresh';
let userDir: string;
const storeDir = () => path.join(userDir, '.bilibili-sessions');

beforeEach(() => {
	userDir = mkdtempSync(path.join(tmpdir(), 'bilibili-session-'));
	helper.settings({ userDir, credentialSecret: 'test-secret' });
});
afterEach(() => rmSync(userDir, { recursive: true, force: true }));
afterAll(() => helper.settings({}));

/** What flows_cred.json holds: the login deployed with the account (the QR login's). */
const deployed = () => ({
	SESSDATA: ctx.sim.credentials.SESSDATA,
	bili_jct: ctx.sim.credentials.bili_jct,
	refresh_token: SIM_REFRESH_TOKEN,
});

async function start(credentials = deployed(), extra: Array<Record<string, unknown>> = []) {
	const flow = [
		{ id: 'tab', type: 'tab' },
		{
			id: 'acct',
			type: 'bilibili-config',
			baseUrl: ctx.url,
			DedeUserID: ctx.sim.credentials.DedeUserID,
			refreshPublicKey: ctx.sim.refreshKeys.publicKey,
			minIntervalMs: 0,
		},
		{
			id: 'profile',
			type: 'bilibili-account',
			z: 'tab',
			account: 'acct',
			operation: 'getProfile',
			wires: [['out']],
		},
		{ id: 'out', type: 'helper', z: 'tab' },
		...extra,
	];
	await helper.load(NODES, flow, { acct: credentials });
	const out = collector(helper.getNode('out'));
	return { out, profile: helper.getNode('profile') };
}

const logsOfAccount = () =>
	(helper.log().args as Array<[{ id?: string; level?: number; msg?: unknown }]>)
		.map(([entry]) => entry)
		.filter((e) => e.id === 'acct');

/** In-process, things happen within milliseconds: ask often, give up after 10 s. */
const waitFor = (what: string, probe: () => boolean) => until(what, probe, 10_000, 20);

/** A profile read through the account node: its mid, or the error a Catch node would see. */
async function readProfile(node: { receive(m: object): void }, out: ReturnType<typeof collector>) {
	const before = out.seen.length;
	node.receive({});
	return ((await out.next(before + 1)).payload as { mid: number }).mid;
}

describe('bilibili-config keeps the session alive', () => {
	it('checks when a node of the account starts and refreshes nothing when Bilibili asks for nothing', async () => {
		const { out, profile } = await start();
		expect(await readProfile(profile, out)).toBe(ctx.sim.state.mid);
		await waitFor(
			'the check',
			() => ctx.sim.requestsTo('/x/passport-login/web/cookie/info').length > 0,
		);
		expect(ctx.sim.requestsTo(REFRESH)).toHaveLength(0);
		expect(() => readdirSync(storeDir())).toThrow();
	});

	it('refreshes when due: the node switches, the old cookie dies, the log says so without values, and a restart before any Deploy still works', async () => {
		ctx.sim.state.refreshDue = true;
		const { out, profile } = await start();
		expect(await readProfile(profile, out)).toBe(ctx.sim.state.mid);
		await waitFor('the confirm', () => ctx.sim.requestsTo(CONFIRM).length === 1);

		// The old login is confirmed away: Bilibili answers -101 to it.
		const old = new BilibiliClient({ credentials: deployed(), baseUrl: ctx.url, rateLimit: false });
		ctx.clients.push(old);
		await expect(old.account.getProfile()).rejects.toMatchObject({ code: -101 });
		// The node already sends the new one.
		expect(await readProfile(profile, out)).toBe(ctx.sim.state.mid);

		const logs = logsOfAccount();
		expect(logs.map((l) => l.msg)).toContain('bilibili-config.session.refreshed');
		const fresh = [...ctx.sim.state.sessions.values()].find((s) => s.valid)!;
		const secrets = [fresh.SESSDATA, fresh.bili_jct, fresh.refresh_token, SIM_REFRESH_TOKEN];
		const stored = readdirSync(storeDir()).map((f) =>
			readFileSync(path.join(storeDir(), f), 'utf8'),
		);
		expect(stored).toHaveLength(1);
		for (const text of [JSON.stringify(helper.log().args), ...stored])
			for (const secret of [...secrets, decodeURIComponent(fresh.SESSDATA)])
				expect(text).not.toContain(secret);

		// A restart before any Deploy: flows_cred.json still holds the dead login.
		await helper.unload();
		const again = await start();
		expect(await readProfile(again.profile, again.out)).toBe(ctx.sim.state.mid);
		expect(logsOfAccount().map((l) => l.msg)).toContain('bilibili-config.session.restored');
		expect(ctx.sim.requestsTo(REFRESH)).toHaveLength(1);
		// Handed to the runtime's credentials, so the next Deploy writes it to flows_cred.json.
		expect(helper.credentials.get('acct')).toMatchObject({
			SESSDATA: fresh.SESSDATA,
			bili_jct: fresh.bili_jct,
			refresh_token: fresh.refresh_token,
		});
	});

	it('a refresh reaches a polling node of the account too (its own client), before the old session ends', async () => {
		ctx.sim.state.refreshDue = true;
		// The refresh answers late, so the polling node's client exists before the switch.
		ctx.sim.injectFault({ type: 'slow', delayMs: 500, path: REFRESH });
		ctx.sim.addRemark({ msg: 'first' });
		await start(deployed(), [
			{
				id: 'poll',
				type: 'bilibili-remark-in',
				z: 'tab',
				account: 'acct',
				interval: 1,
				includeDetails: false,
				wires: [['remarks']],
			},
			{ id: 'remarks', type: 'helper', z: 'tab' },
		]);
		const remarks = collector(helper.getNode('remarks'));
		await waitFor('the confirm', () => ctx.sim.requestsTo(CONFIRM).length === 1);
		await waitFor('the first poll', () => ctx.sim.requestsTo('/x/web/elec/remark/list').length > 0);
		ctx.sim.addRemark({ msg: 'after the refresh' });
		// An input message polls at once.
		helper.getNode('poll').receive({});
		expect(((await remarks.next(1, 15_000)).payload as { msg: string }).msg).toBe(
			'after the refresh',
		);
		expect(ctx.sim.requestsTo('/x/web/elec/remark/list')[0].seq).toBeLessThan(
			ctx.sim.requestsTo(REFRESH)[0].seq,
		);
		const afterConfirm = ctx.sim
			.requestsTo('/x/web/elec/remark/list')
			.filter((r) => r.seq > ctx.sim.requestsTo(CONFIRM)[0].seq);
		expect(afterConfirm.length).toBeGreaterThan(0);
		expect(afterConfirm.every((r) => r.code === 0)).toBe(true);
	});

	it("hands the new login to Node-RED's credentials (saved at the next Deploy); the stored one stays until another login is deployed", async () => {
		ctx.sim.state.refreshDue = true;
		await start();
		await waitFor('the confirm', () => ctx.sim.requestsTo(CONFIRM).length === 1);
		const fresh = [...ctx.sim.state.sessions.values()].find((s) => s.valid)!;
		expect(helper.credentials.get('acct')).toMatchObject({
			SESSDATA: fresh.SESSDATA,
			bili_jct: fresh.bili_jct,
			refresh_token: fresh.refresh_token,
		});
		await helper.unload();

		// Started with the new login (a Deploy wrote it): the stored copy is kept, it is the same login.
		const saved = await start({
			SESSDATA: fresh.SESSDATA,
			bili_jct: fresh.bili_jct,
			refresh_token: fresh.refresh_token,
		});
		expect(await readProfile(saved.profile, saved.out)).toBe(ctx.sim.state.mid);
		expect(readdirSync(storeDir())).toHaveLength(1);
		await helper.unload();

		// Another login typed in and deployed: it is the one used, and the stored copy goes.
		const typed = await start({ SESSDATA: 'typed-in-later', bili_jct: 'x', refresh_token: 'y' });
		typed.profile.receive({});
		await waitFor('the refused profile', () =>
			ctx.sim.requestsTo('/x/member/web/account').some((r) => r.code === -101),
		);
		expect(readdirSync(storeDir())).toHaveLength(0);
	});

	it('a Deploy during a refresh waits for it: the new session is kept and works after the restart', async () => {
		ctx.sim.state.refreshDue = true;
		ctx.sim.injectFault({ type: 'slow', delayMs: 800, path: REFRESH });
		await start();
		await waitFor('the refresh request', () => ctx.sim.requestsTo(REFRESH).length === 1);
		await helper.unload();
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(1);
		const again = await start();
		expect(await readProfile(again.profile, again.out)).toBe(ctx.sim.state.mid);
		expect(ctx.sim.requestsTo(REFRESH)).toHaveLength(1);
	});

	it('without a refresh_token nothing is checked', async () => {
		ctx.sim.state.refreshDue = true;
		const { out, profile } = await start({ ...deployed(), refresh_token: '' });
		expect(await readProfile(profile, out)).toBe(ctx.sim.state.mid);
		expect(await readProfile(profile, out)).toBe(ctx.sim.state.mid);
		expect(logsOfAccount().map((l) => l.msg)).toContain('bilibili-config.session.noToken');
		expect(ctx.sim.requestsTo('/x/passport-login/web/cookie/info')).toHaveLength(0);
	});

	it('a refresh that outlives the close budget while another login is deployed leaves the new login alone', async () => {
		// A close budget of 500 ms (nodeCloseTimeout - 3 s): the refresh answers after it.
		helper.settings({ userDir, credentialSecret: 'test-secret', nodeCloseTimeout: 3500 });
		const second = {
			SESSDATA: 'second0login0000%2C4102444800%2Csim*',
			bili_jct: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
			refresh_token: 'second-login-refresh-token',
		};
		ctx.sim.state.sessions.set(second.SESSDATA, { ...second, valid: true });
		ctx.sim.state.refreshDue = true;
		ctx.sim.injectFault({ type: 'slow', delayMs: 2000, path: REFRESH });
		await start();
		await waitFor('the refresh request', () => ctx.sim.requestsTo(REFRESH).length === 1);
		await helper.unload();
		// Deployed while the first login's refresh still runs: another login (a new QR login).
		const next = await start(second);
		await waitFor('the confirm', () => ctx.sim.requestsTo(CONFIRM).length === 1);
		const first = [...ctx.sim.state.sessions.values()].find(
			(x) => x.valid && x.SESSDATA !== second.SESSDATA,
		)!;
		// The first login's new session ends: a node that switched to it would fail now.
		first.valid = false;
		expect(await readProfile(next.profile, next.out)).toBe(ctx.sim.state.mid);
		expect(helper.credentials.get('acct')).toMatchObject(second);
	});

	it("a login refreshed elsewhere: the next request's error says so, with what to do", async () => {
		const { profile } = await start(deployed(), [
			{ id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', type: 'helper', z: 'tab' },
		]);
		const caught = collector(helper.getNode('caught'));
		// Alive at the account's check (it logs "not due" once Bilibili answered).
		await waitFor('the check', () =>
			logsOfAccount().some((l) => l.msg === 'bilibili-config.session.notDue'),
		);
		// Another place with the same login (another Node-RED, n8n) refreshes it.
		ctx.sim.state.refreshDue = true;
		const elsewhere = new BilibiliClient({
			credentials: ctx.sim.credentials,
			baseUrl: ctx.url,
			rateLimit: false,
			refreshPublicKey: ctx.sim.refreshKeys.publicKey,
		});
		ctx.clients.push(elsewhere);
		await elsewhere.session.refresh({ refreshToken: SIM_REFRESH_TOKEN, onRefreshed: () => {} });
		profile.receive({});
		const error = (await caught.next(1)).error as { message: string };
		expect(error.message).toMatch(/-101/);
		expect(error.message).toMatch(/refreshed elsewhere/);
		expect(error.message).toMatch(/log in once per place with the QR code/);
	});

	it("a -101 on a login never seen alive here keeps Bilibili's words alone", async () => {
		const { profile } = await start({ ...deployed(), SESSDATA: 'never-alive%2C4102444800%2Cx' }, [
			{ id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', type: 'helper', z: 'tab' },
		]);
		const caught = collector(helper.getNode('caught'));
		await waitFor(
			'the check',
			() => ctx.sim.requestsTo('/x/passport-login/web/cookie/info').length === 1,
		);
		profile.receive({});
		const error = (await caught.next(1)).error as { message: string };
		expect(error.message).toMatch(/-101/);
		expect(error.message).not.toMatch(/refreshed elsewhere/);
	});
});
