#!/usr/bin/env node
/**
 * bilibili-doctor: checks a Bilibili login without changing anything (no charge, reply, upload or
 * refresh) and says, one line per check, what is wrong and what to do. Cookies come from the
 * environment (BILIBILI_SESSDATA, BILIBILI_BILI_JCT, BILIBILI_DEDEUSERID, BILIBILI_BUVID3) or from
 * `bilibili-login --json` piped in with --stdin, never from the command line, which `ps`,
 * /proc/<pid>/cmdline and the shell history show. No cookie value is ever printed.
 */
import { optionsOrExit } from './cli';
import { runDoctor, type Check, type DoctorInput } from './doctor';

const USAGE = `Usage: bilibili-doctor [--json] [--base-url URL] [--stdin] [--dedeuserid V] [--buvid3 V]

Checks the Bilibili login read-only: logged in (which account), csrf, refresh due, buvid3, each API
host's round trip, the B-coin balance, the charge service and the remark list.

  cookies            from the environment: BILIBILI_SESSDATA, BILIBILI_BILI_JCT, BILIBILI_DEDEUSERID,
                     BILIBILI_BUVID3; or --stdin. Never on the command line (ps and shell history
                     show it): --sessdata and --bili-jct are refused
  --stdin            read the JSON object bilibili-login --json prints: bilibili-login --json | bilibili-doctor --stdin
  --dedeuserid V     the account's mid (not a secret), instead of BILIBILI_DEDEUSERID
  --buvid3 V         the browser's buvid3 cookie, instead of BILIBILI_BUVID3
  --base-url URL     send to this origin instead of Bilibili's hosts (a proxy, the simulator)
  --json             print one JSON object {"ok": …, "checks": [{name, verdict, detail, advice}]}
Exit code 0 only when every check passes; 1 otherwise; 2 on a bad option.
`;

const FLAGS: Record<string, keyof DoctorInput['credentials']> = {
	'--dedeuserid': 'DedeUserID',
	'--buvid3': 'buvid3',
};

/** Secret cookies the command line would expose, and where they go instead. */
const REFUSED: Record<string, string> = {
	'--sessdata': 'BILIBILI_SESSDATA',
	'--bili-jct': 'BILIBILI_BILI_JCT',
};

interface Args {
	json: boolean;
	stdin: boolean;
	baseUrl?: string;
	credentials: DoctorInput['credentials'];
}

function parse(argv: string[]): Args | string {
	const env = process.env;
	const args: Args = {
		json: false,
		stdin: false,
		credentials: {
			SESSDATA: env.BILIBILI_SESSDATA || undefined,
			bili_jct: env.BILIBILI_BILI_JCT || undefined,
			DedeUserID: env.BILIBILI_DEDEUSERID || undefined,
			buvid3: env.BILIBILI_BUVID3 || undefined,
		},
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const name = a.split('=')[0];
		const value = () => {
			const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
			if (v === undefined || v === '') throw new Error(`${name} needs a value`);
			return v;
		};
		try {
			if (a === '--json') args.json = true;
			else if (a === '--stdin') args.stdin = true;
			else if (name === '--base-url') args.baseUrl = value();
			else if (Object.hasOwn(REFUSED, name))
				// The value is never read, so it is never echoed either.
				return `${name} is not taken: a cookie on the command line shows in ps, /proc/<pid>/cmdline and the shell history. Set ${REFUSED[name]} in the environment, or pipe bilibili-login --json into bilibili-doctor --stdin`;
			else if (Object.hasOwn(FLAGS, name)) args.credentials[FLAGS[name]] = value();
			else if (a === '--help' || a === '-h') return 'help';
			else return `unknown option ${name}`;
		} catch (err) {
			return (err as Error).message;
		}
	}
	return args;
}

async function readStdin(): Promise<Record<string, unknown>> {
	let text = '';
	for await (const chunk of process.stdin) text += String(chunk);
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		// Not JSON.parse's own message: it quotes the input, which may be a cookie.
		json = undefined;
	}
	if (!json || typeof json !== 'object')
		throw new Error('stdin: expected the JSON object bilibili-login --json prints');
	return json as Record<string, unknown>;
}

const MARK: Record<Check['verdict'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

async function main(): Promise<number> {
	const args = optionsOrExit('bilibili-doctor', USAGE, parse(process.argv.slice(2)), 2);
	if (typeof args === 'number') return args;
	if (args.stdin) {
		const piped = await readStdin().catch((err: Error) => err);
		if (piped instanceof Error) {
			process.stderr.write(`bilibili-doctor: ${piped.message.split('\n')[0]}\n`);
			return 2;
		}
		for (const key of ['SESSDATA', 'bili_jct', 'DedeUserID', 'buvid3'] as const)
			if (typeof piped[key] === 'string') args.credentials[key] ??= piped[key] as string;
	}
	const checks = await runDoctor({ credentials: args.credentials, baseUrl: args.baseUrl });
	const ok = checks.every((c) => c.verdict === 'pass');
	if (args.json) process.stdout.write(`${JSON.stringify({ ok, checks })}\n`);
	else {
		const width = Math.max(...checks.map((c) => c.name.length));
		for (const c of checks)
			process.stdout.write(
				`${MARK[c.verdict]}  ${c.name.padEnd(width)}  ${c.detail}${c.advice ? ` → ${c.advice}` : ''}\n`,
			);
		process.stdout.write(ok ? 'All checks passed.\n' : 'Not all checks passed.\n');
	}
	return ok ? 0 : 1;
}

main().then(
	(code) => (process.exitCode = code),
	(err: Error) => {
		process.stderr.write(`bilibili-doctor: ${err.message}\n`);
		process.exitCode = 1;
	},
);
