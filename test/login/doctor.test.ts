/**
 * bilibili-doctor, the command as a user runs it (from the assembled client package), against the
 * simulator: healthy, logged out, csrf mismatch, refresh due, -352, a host down; read-only; no cookie
 * value in what it prints.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { CLIENT_PACKAGE_DIR } from '../../dev/packageRoot';
import { BilibiliClient } from '../../index';
import { SIM_REFRESH_TOKEN } from '../../simulator/state';
import { useSimulator } from '../helpers/sim';

const BIN = path.join(CLIENT_PACKAGE_DIR, 'dist/bin/bilibili-doctor.js');
const ctx = useSimulator();

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

function doctor(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Run> {
	return new Promise((resolve) => {
		const child = execFile(
			process.execPath,
			[BIN, ...args],
			{ env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
			(err, stdout, stderr) =>
				resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
		);
		if (stdin !== undefined) child.stdin!.end(stdin);
		else child.stdin!.end();
	});
}

const cookieEnv = (overrides: Record<string, string> = {}) => ({
	BILIBILI_SESSDATA: ctx.sim.credentials.SESSDATA,
	BILIBILI_BILI_JCT: ctx.sim.credentials.bili_jct,
	BILIBILI_DEDEUSERID: String(ctx.sim.credentials.DedeUserID),
	...overrides,
});

/** verdict by check name, from --json. */
async function verdicts(env: Record<string, string>, args: string[] = []) {
	const run = await doctor(['--json', `--base-url=${ctx.url}`, ...args], env);
	const out = JSON.parse(run.stdout) as {
		ok: boolean;
		checks: Array<{ name: string; verdict: string; detail: string; advice: string }>;
	};
	for (const secret of [ctx.sim.credentials.SESSDATA, ctx.sim.credentials.bili_jct])
		expect(run.stdout + run.stderr).not.toContain(secret);
	return {
		run,
		ok: out.ok,
		by: Object.fromEntries(out.checks.map((c) => [c.name, c.verdict])),
		checks: out.checks,
	};
}

describe('bilibili-doctor', () => {
	it('healthy: every check passes, exit 0, and nothing was written', async () => {
		const { run, ok, by } = await verdicts(cookieEnv());
		expect([run.code, ok]).toEqual([0, true]);
		expect(by).toEqual({
			cookies: 'pass',
			'host base URL': 'pass',
			'logged in': 'pass',
			'B-coin balance': 'pass',
			csrf: 'pass',
			'refresh due': 'pass',
			buvid3: 'pass',
			'charge service': 'pass',
			'remark list': 'pass',
		});
		expect(ctx.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
		// The host check and the device fetch too: every request with a browser's User-Agent.
		expect(ctx.sim.requests.filter((r) => !/^Mozilla\/5\.0 \(/.test(r.userAgent ?? ''))).toEqual(
			[],
		);
	});

	it('prints one line per check with its verdict, readable', async () => {
		const run = await doctor([`--base-url=${ctx.url}`], cookieEnv());
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^PASS {2}logged in +as 社会易姐QwQ \(mid 293793435\)$/m);
		expect(run.stdout).toMatch(/^PASS {2}B-coin balance +100 B-coins$/m);
		expect(run.stdout.trim().split('\n').pop()).toBe('All checks passed.');
	});

	it('logged out: the login check fails with what to do, exit 1', async () => {
		const { run, by, checks } = await verdicts(cookieEnv({ BILIBILI_SESSDATA: 'expired%2C1%2Cx' }));
		expect(run.code).toBe(1);
		expect(by['logged in']).toBe('fail');
		expect(checks.find((c) => c.name === 'logged in')!.advice).toMatch(/bilibili-login/);
	});

	it('csrf mismatch: bili_jct of another login fails the csrf check', async () => {
		const { run, by } = await verdicts(
			cookieEnv({ BILIBILI_BILI_JCT: '0123456789abcdef0123456789abcdef' }),
		);
		expect([run.code, by['logged in'], by.csrf]).toEqual([1, 'pass', 'fail']);
	});

	it('refresh due: a warning saying how to refresh', async () => {
		ctx.sim.state.refreshDue = true;
		const { run, by, checks } = await verdicts(cookieEnv());
		expect([run.code, by['refresh due']]).toEqual([1, 'warn']);
		expect(checks.find((c) => c.name === 'refresh due')!.advice).toMatch(
			/one place that keeps this login refresh it.*refresh_token/,
		);
		expect(ctx.sim.requestsTo('/x/passport-login/web/cookie/refresh')).toHaveLength(0);
	});

	it('-352: the failing checks name risk control and what helps', async () => {
		ctx.sim.injectFault({ type: 'code', code: -352, path: '/x/web-interface/nav', times: 5 });
		const { run, by, checks } = await verdicts(cookieEnv());
		expect([run.code, by['logged in']]).toEqual([1, 'fail']);
		expect(checks.find((c) => c.name === 'logged in')!.advice).toMatch(/risk control.*BUVID3/);
	});

	it('a host down: reachability fails and the reads say to check the network', async () => {
		const { run, by } = await verdicts(cookieEnv(), ['--base-url=http://127.0.0.1:9']);
		expect(run.code).toBe(1);
		expect(by['host base URL']).toBe('fail');
		expect(by['logged in']).toBe('fail');
	});

	it('reads bilibili-login --json from stdin; without cookies it says where to put them', async () => {
		const { SESSDATA, bili_jct, DedeUserID } = ctx.sim.credentials;
		const piped = JSON.stringify({
			SESSDATA,
			bili_jct,
			DedeUserID: String(DedeUserID),
			refresh_token: 'x',
		});
		const run = await doctor(['--stdin', `--base-url=${ctx.url}`], {}, piped);
		expect(run.code).toBe(0);
		const none = await doctor([`--base-url=${ctx.url}`]);
		expect(none.code).toBe(1);
		expect(none.stdout).toMatch(/^FAIL {2}cookies +no SESSDATA given → Set BILIBILI_SESSDATA/m);
		expect((await doctor(['--bogus'])).code).toBe(2);
	});

	it.each([
		['--sessdata', 'BILIBILI_SESSDATA'],
		['--bili-jct', 'BILIBILI_BILI_JCT'],
	])(
		'refuses %s on the command line (ps and shell history show it), pointing to %s or --stdin',
		async (flag, env) => {
			const secret = 'commandline-secret-0123456789';
			for (const args of [[flag, secret], [`${flag}=${secret}`]]) {
				const run = await doctor([...args, `--base-url=${ctx.url}`], cookieEnv());
				expect(run.code).toBe(2);
				expect(run.stderr).toContain(`${flag} is not taken`);
				expect(run.stderr).toContain(env);
				expect(run.stderr).toContain('--stdin');
				expect(run.stdout + run.stderr).not.toContain(secret);
			}
			expect(ctx.sim.requests).toEqual([]);
			const help = await doctor(['--help']);
			expect(help.stdout).not.toMatch(new RegExp(`\\[${flag} V\\]`));
			expect(help.stdout).toContain(env);
		},
	);

	it('a login refreshed in another place: "refreshed elsewhere", and how to give each place its own login', async () => {
		ctx.sim.state.refreshDue = true;
		// The same login kept alive in another place (n8n, another Node-RED) refreshes it.
		const elsewhere = new BilibiliClient({
			credentials: ctx.sim.credentials,
			baseUrl: ctx.url,
			rateLimit: false,
			refreshPublicKey: ctx.sim.refreshKeys.publicKey,
		});
		ctx.clients.push(elsewhere);
		await elsewhere.session.refresh({ refreshToken: SIM_REFRESH_TOKEN, onRefreshed: () => {} });
		const { run, by, checks } = await verdicts(cookieEnv());
		expect([run.code, by['logged in']]).toEqual([1, 'fail']);
		const login = checks.find((c) => c.name === 'logged in')!;
		expect(login.detail).toMatch(/ended, not expired/);
		expect(login.advice).toMatch(/refreshed elsewhere.*log in once per place with the QR code/);
	});

	it('a login past its own expiry is not called "refreshed elsewhere"', async () => {
		const { by, checks } = await verdicts(cookieEnv({ BILIBILI_SESSDATA: 'expired%2C1%2Cx' }));
		expect(by['logged in']).toBe('fail');
		expect(checks.find((c) => c.name === 'logged in')!.advice).not.toMatch(/elsewhere/);
	});
});
