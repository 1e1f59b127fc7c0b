#!/usr/bin/env node
/**
 * bilibili-login: log in by scanning a QR code with the Bilibili app and print the cookies to paste
 * into n8n's Bilibili API credential (or Node-RED's account node). The code and the progress go to
 * stderr; only the result goes to stdout (with --json: exactly one JSON object).
 * Exit codes: 0 logged in, 2 the code expired or time ran out, 130 interrupted, 1 anything else.
 */
import { BilibiliLoginExpiredError, loginWithQrCode, type QrLoginEvent } from '../index';
import { optionsOrExit } from './cli';

const USAGE = `Usage: bilibili-login [--json] [--base-url URL] [--timeout SECONDS]

Shows a QR code; scan it with the Bilibili app (我的 → 扫一扫) and confirm the login there.
Then prints SESSDATA, bili_jct, DedeUserID (for n8n's "Bilibili API" credential) and refresh_token.

  --json             print only {"SESSDATA": …, "bili_jct": …, "DedeUserID": …, "refresh_token": …} on stdout
  --base-url URL     send to this origin instead of passport.bilibili.com (a proxy, the simulator)
  --timeout SECONDS  give up after this long, renewing expired codes meanwhile (default 600)
`;

interface Args {
	json: boolean;
	baseUrl?: string;
	timeoutMs: number;
}

function parse(argv: string[]): Args | string {
	const args: Args = { json: false, timeoutMs: 600_000 };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
			if (v === undefined || v === '') throw new Error(`${a.split('=')[0]} needs a value`);
			return v;
		};
		try {
			if (a === '--json') args.json = true;
			else if (a === '--base-url' || a.startsWith('--base-url=')) args.baseUrl = value();
			else if (a === '--timeout' || a.startsWith('--timeout=')) {
				const raw = value();
				const seconds = Number(raw);
				if (!/^\d+$/.test(raw) || seconds < 10 || seconds > 3600)
					return `--timeout: expected whole seconds from 10 to 3600, got ${raw}`;
				args.timeoutMs = seconds * 1000;
			} else if (a === '--help' || a === '-h') return 'help';
			else return `unknown option ${a}`;
		} catch (err) {
			return (err as Error).message;
		}
	}
	return args;
}

async function main(): Promise<number> {
	const args = optionsOrExit('bilibili-login', USAGE, parse(process.argv.slice(2)), 1);
	if (typeof args === 'number') return args;
	const controller = new AbortController();
	let interrupted = false;
	process.on('SIGINT', () => {
		interrupted = true;
		controller.abort();
	});
	const say = (line: string) => process.stderr.write(`${line}\n`);
	const onEvent = (event: QrLoginEvent) => {
		if (event.type === 'created') {
			say(`\n${event.terminal ?? ''}`);
			say(
				'Scan this code with the Bilibili app (我的 → 扫一扫), then confirm the login in the app.',
			);
			say(`Or open: ${event.url}`);
		} else if (event.type === 'scanned')
			say('Scanned — confirm the login in the app (已扫码,请在手机上确认).');
		else if (event.type === 'expired')
			say(event.renewing ? 'The code expired — here is a new one.' : 'The code expired.');
		else if (event.type === 'confirmed') say('Logged in.');
	};
	try {
		const cookies = await loginWithQrCode({
			baseUrl: args.baseUrl,
			timeoutMs: args.timeoutMs,
			renew: true,
			render: ['terminal'],
			signal: controller.signal,
			onEvent,
		});
		if (args.json)
			process.stdout.write(
				`${JSON.stringify({ SESSDATA: cookies.SESSDATA, bili_jct: cookies.bili_jct, DedeUserID: cookies.DedeUserID, refresh_token: cookies.refresh_token })}\n`,
			);
		else {
			process.stdout.write(
				`SESSDATA=${cookies.SESSDATA}\nbili_jct=${cookies.bili_jct}\nDedeUserID=${cookies.DedeUserID}\nrefresh_token=${cookies.refresh_token}\n`,
			);
			say(
				'Paste the four values into the Bilibili API credential (n8n; refresh_token goes into Refresh Token) or the Bilibili account node (Node-RED): refresh_token renews the session when Bilibili asks. Keep them all secret: they are your login.',
			);
		}
		return 0;
	} catch (err) {
		if (interrupted) {
			say('Interrupted; not logged in.');
			return 130;
		}
		say(`Not logged in: ${(err as Error).message}`);
		return err instanceof BilibiliLoginExpiredError ? 2 : 1;
	}
}

void main().then((code) => {
	process.exitCode = code;
});
