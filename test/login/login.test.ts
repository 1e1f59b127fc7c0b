/**
 * QR login against the simulator: the client's loginWithQrCode and the bilibili-login command. Only
 * on the default runtime: n8n's credential dialog cannot run a QR flow (README), so n8n never logs in.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { SIM_REFRESH_TOKEN } from '../../simulator/state';
import {
	BilibiliApiError,
	BilibiliLoginExpiredError,
	BilibiliValidationError,
	loginWithQrCode,
	type QrLoginEvent,
} from '../../index';
import { CLIENT_PACKAGE_DIR } from '../../dev/packageRoot';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const GENERATE = '/x/passport-login/web/qrcode/generate';
const POLL = '/x/passport-login/web/qrcode/poll';

/** Waits until the simulator has handed out `n` login keys; returns the newest. */
async function nthKey(n: number): Promise<string> {
	for (let i = 0; i < 300; i++) {
		const keys = [...ctx.sim.state.logins.keys()];
		if (keys.length >= n) return keys[n - 1];
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`no login key #${n}`);
}

describe('loginWithQrCode', () => {
	it('shows a code, reports the scan, and returns the cookies once the app confirms', async () => {
		const events: QrLoginEvent[] = [];
		const login = loginWithQrCode({ baseUrl: ctx.url, onEvent: (e) => events.push(e) });
		const key = await nthKey(1);
		ctx.sim.state.scanLogin(key);
		while (!events.some((e) => e.type === 'scanned')) await new Promise((r) => setTimeout(r, 50));
		ctx.sim.state.confirmLogin(key);
		const cookies = await login;
		const { SESSDATA, bili_jct, DedeUserID } = ctx.sim.credentials;
		expect(cookies).toEqual({
			SESSDATA,
			bili_jct,
			DedeUserID: String(DedeUserID),
			refresh_token: SIM_REFRESH_TOKEN,
		});
		expect(events.map((e) => e.type)).toEqual(['created', 'scanned', 'confirmed']);
		// The PNG decodes to the login URL the app opens.
		const created = events[0] as Extract<QrLoginEvent, { type: 'created' }>;
		expect(created.qrcode_key).toBe(key);
		const image = PNG.sync.read(created.png!);
		expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(
			created.url,
		);
		// Anonymous requests, polled no faster than once a second.
		const polls = ctx.sim.requestsTo(POLL);
		expect(ctx.sim.requests.every((r) => r.cookies.length === 0)).toBe(true);
		// Each with a browser's User-Agent: risk control answers other agents with -352.
		expect(ctx.sim.requests.map((r) => r.userAgent)).toEqual(
			ctx.sim.requests.map(() => expect.stringMatching(/^Mozilla\/5\.0 \(/)),
		);
		// Arrival times: a loaded machine can delay one request more than the next, so allow that jitter;
		// polls without the one-second wait would arrive milliseconds apart.
		for (let i = 1; i < polls.length; i++)
			expect(polls[i].at - polls[i - 1].at).toBeGreaterThanOrEqual(800);
	});

	it('fails with LOGIN_EXPIRED when the code expires, unless asked to renew it', async () => {
		const events: string[] = [];
		const login = loginWithQrCode({ baseUrl: ctx.url, onEvent: (e) => events.push(e.type) });
		ctx.sim.state.expireLogin(await nthKey(1));
		const err = await login.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliLoginExpiredError);
		expect(err.code).toBe('LOGIN_EXPIRED');
		expect(events).toEqual(['created', 'expired']);
	});

	it('renews an expired code when asked, and the second one logs in', async () => {
		const events: string[] = [];
		const login = loginWithQrCode({
			baseUrl: ctx.url,
			renew: true,
			render: [],
			onEvent: (e) => events.push(e.type),
		});
		ctx.sim.state.expireLogin(await nthKey(1));
		ctx.sim.state.confirmLogin(await nthKey(2));
		await expect(login).resolves.toMatchObject({ bili_jct: ctx.sim.credentials.bili_jct });
		expect(events).toEqual(['created', 'expired', 'created', 'confirmed']);
		expect(ctx.sim.requestsTo(GENERATE)).toHaveLength(2);
	});

	it('stops at once when aborted, and at its total timeout', async () => {
		const controller = new AbortController();
		const login = loginWithQrCode({ baseUrl: ctx.url, render: [], signal: controller.signal });
		await nthKey(1);
		controller.abort();
		await expect(login).rejects.toMatchObject({ code: 'ABORTED' });
		const polls = ctx.sim.requestsTo(POLL).length;
		await new Promise((r) => setTimeout(r, 1500));
		expect(ctx.sim.requestsTo(POLL)).toHaveLength(polls);
		await expect(
			loginWithQrCode({ baseUrl: ctx.url, render: [], timeoutMs: 1500 }),
		).rejects.toMatchObject({ code: 'LOGIN_EXPIRED' });
	});

	it('refuses to poll faster than once a second, before sending anything', async () => {
		await expect(loginWithQrCode({ baseUrl: ctx.url, intervalMs: 500 })).rejects.toBeInstanceOf(
			BilibiliValidationError,
		);
		expect(ctx.sim.requests).toHaveLength(0);
	});

	it('never puts the cookies it received into an error', async () => {
		// A confirmed answer whose URL lacks bili_jct: the error says what is missing, not what arrived.
		const { SESSDATA } = ctx.sim.credentials;
		ctx.sim.injectFault({
			type: 'body',
			path: POLL,
			body: {
				code: 0,
				data: { code: 0, url: `https://passport.biligame.com/x?SESSDATA=${SESSDATA}&DedeUserID=1` },
			},
		});
		const err = await loginWithQrCode({ baseUrl: ctx.url, render: [] }).catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliApiError);
		expect(err.message).toMatch(/bili_jct missing/);
		expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(
			SESSDATA,
		);
	});
});

describe('bilibili-login (the command in the client package)', () => {
	const BIN = path.join(CLIENT_PACKAGE_DIR, 'dist/bin/bilibili-login.js');

	function run(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void) {
		const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c) => (stdout += c));
		child.stderr.on('data', (c) => {
			stderr += c;
			onStderr?.(stderr, child);
		});
		return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
			child.on('close', (code) => resolve({ code, stdout, stderr })),
		);
	}

	it('--json prints exactly one JSON object with the three cookies on stdout, and exits 0', async () => {
		let confirmed = false;
		const result = await run(['--json', '--base-url', ctx.url], (stderr) => {
			if (!confirmed && stderr.includes('Scan this code')) {
				confirmed = true;
				void nthKey(1).then((key) => ctx.sim.state.confirmLogin(key));
			}
		});
		expect(result.code).toBe(0);
		const { SESSDATA, bili_jct, DedeUserID } = ctx.sim.credentials;
		expect(result.stdout.trim().split('\n')).toHaveLength(1);
		expect(JSON.parse(result.stdout)).toEqual({
			SESSDATA,
			bili_jct,
			DedeUserID: String(DedeUserID),
			refresh_token: SIM_REFRESH_TOKEN,
		});
		// The code went to stderr as terminal blocks; the cookies did not.
		expect(result.stderr).toMatch(/█/);
		expect(result.stderr).not.toContain(SESSDATA);
	});

	it('without --json prints the four values to paste, and says where refresh_token goes', async () => {
		let confirmed = false;
		const result = await run([`--base-url=${ctx.url}`], (stderr) => {
			if (!confirmed && stderr.includes('Scan this code')) {
				confirmed = true;
				void nthKey(1).then((key) => ctx.sim.state.confirmLogin(key));
			}
		});
		expect(result.code).toBe(0);
		expect(result.stdout).toBe(
			`SESSDATA=${ctx.sim.credentials.SESSDATA}\nbili_jct=${ctx.sim.credentials.bili_jct}\nDedeUserID=${ctx.sim.credentials.DedeUserID}\nrefresh_token=${SIM_REFRESH_TOKEN}\n`,
		);
		expect(result.stderr).toContain('Paste the four values');
		expect(result.stderr).toContain('refresh_token goes into Refresh Token');
	});

	it('exits 130 on Ctrl-C and 1 on a bad option, with nothing on stdout', async () => {
		let sent = false;
		const interrupted = await run(['--json', '--base-url', ctx.url], (stderr, child) => {
			if (!sent && stderr.includes('Scan this code')) {
				sent = true;
				child.kill('SIGINT');
			}
		});
		expect(interrupted).toMatchObject({ code: 130, stdout: '' });
		expect(interrupted.stderr).toContain('Interrupted; not logged in.');
		const bad = await run(['--timeout', '5']);
		expect(bad).toMatchObject({ code: 1, stdout: '' });
		expect(bad.stderr).toContain('--timeout: expected whole seconds from 10 to 3600, got 5');
	});

	it('exits 2 when no login is confirmed in time', async () => {
		const result = await run(['--json', '--base-url', ctx.url, '--timeout', '10']);
		expect(result).toMatchObject({ code: 2, stdout: '' });
		expect(result.stderr).toMatch(/Not logged in: .*No login confirmed within 10 s/);
	});
});
