/**
 * The checks `bilibili-doctor` runs, read-only: nothing here charges, replies, uploads or refreshes.
 * Each check says pass, warn or fail, what it saw, and what to do; no cookie value is ever part of it
 * (every text from the client is scrubbed of the credentials it was given).
 */
import {
	BilibiliApiError,
	BilibiliClient,
	BilibiliRiskControlError,
	BilibiliValidationError,
	createNodeRuntime,
	HOSTS,
	REFRESHED_ELSEWHERE,
	type BilibiliCredentials,
	type Runtime,
} from '../index';
import { fetchDevice } from '../client/transport/device';
import { BROWSER_USER_AGENT } from '../client/transport/hosts';

export type Verdict = 'pass' | 'warn' | 'fail';

export interface Check {
	name: string;
	verdict: Verdict;
	detail: string;
	/** What to do; empty when all is well. */
	advice: string;
}

export interface DoctorInput {
	credentials: Partial<BilibiliCredentials>;
	baseUrl?: string;
	timeoutMs?: number;
}

const RISK_ADVICE =
	'Bilibili risk control refused it (-352): run it from a network where you use bilibili.com, give BILIBILI_BUVID3, and slow down';

function failureText(err: unknown): string {
	if (err instanceof BilibiliApiError) return `${err.code}: ${err.explanation}`;
	return err instanceof Error ? err.message : String(err);
}

const LOGIN_ADVICE = 'The login is gone: run bilibili-login again and store the new cookies';

/** When SESSDATA says its login expires (its second comma-separated field, Unix seconds), if it does. */
export function sessdataExpiry(SESSDATA: string): Date | undefined {
	let text = SESSDATA;
	try {
		text = decodeURIComponent(SESSDATA);
	} catch {
		// Not URL-encoded: read as is.
	}
	const seconds = Number(text.split(',')[1]);
	return Number.isInteger(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
}

/**
 * A logged-out answer for a login whose own expiry is still ahead: it was ended, not expired, and
 * the usual cause is a refresh made in another place that keeps the same login.
 */
function loggedOutCheck(SESSDATA: string, detail: string): [string, string] {
	const expiry = sessdataExpiry(SESSDATA);
	if (!expiry || expiry.getTime() <= Date.now()) return [detail, LOGIN_ADVICE];
	return [
		`${detail}, though this SESSDATA runs until ${expiry.toISOString().slice(0, 10)}: the login was ended, not expired`,
		`${REFRESHED_ELSEWHERE} (A logout or a password change elsewhere ends a login too.)`,
	];
}

function adviceFor(err: unknown, otherwise: string): string {
	if (err instanceof BilibiliRiskControlError) return RISK_ADVICE;
	if (err instanceof BilibiliApiError && err.code === -101) return LOGIN_ADVICE;
	if (err instanceof BilibiliApiError && (err.code === 'NETWORK' || err.code === 'TIMEOUT'))
		return 'Check the network, a proxy, or --base-url';
	return otherwise;
}

/** The value, or the error as an Error-typed failure (a check reads both). */
function settle<T>(promise: Promise<T>): Promise<T | Failure> {
	return promise.catch((err: unknown) => new Failure(err));
}

class Failure {
	constructor(readonly error: unknown) {}
}

/** A fixed token no QR code has: the status read answers with a code, proving the service answers. */
const MADE_UP_QR_TOKEN = 'doctor0000000000000000000000000000';

export async function runDoctor(input: DoctorInput): Promise<Check[]> {
	const checks: Check[] = [];
	const add = (name: string, verdict: Verdict, detail: string, advice = '') =>
		checks.push({ name, verdict, detail, advice });

	if (!input.credentials.SESSDATA) {
		add(
			'cookies',
			'fail',
			'no SESSDATA given',
			'Set BILIBILI_SESSDATA (and BILIBILI_BILI_JCT, BILIBILI_DEDEUSERID) in the environment, or pipe bilibili-login --json into --stdin',
		);
		return checks;
	}
	// One runtime (keep-alive sockets) for the client and the checks around it; closed with the client.
	const runtime = createNodeRuntime();
	let client: BilibiliClient;
	try {
		client = new BilibiliClient({
			credentials: input.credentials as BilibiliCredentials,
			runtime,
			baseUrl: input.baseUrl,
			timeoutMs: input.timeoutMs ?? 10_000,
			retry: { retries: 0 },
		});
	} catch (err) {
		const field = err instanceof BilibiliValidationError ? err.field : 'credentials';
		add('cookies', 'fail', failureText(err), `Fix ${field}: only the cookie's value`);
		runtime.close?.();
		return checks;
	}
	try {
		add(
			'cookies',
			'pass',
			[
				'SESSDATA',
				input.credentials.bili_jct && 'bili_jct',
				input.credentials.DedeUserID && 'DedeUserID',
			]
				.filter(Boolean)
				.join(', ') + ' given',
		);
		await reachability(add, input, runtime);

		const nav = await settle(client.account.getNav());
		const SESSDATA = input.credentials.SESSDATA;
		if (
			nav instanceof Failure &&
			nav.error instanceof BilibiliApiError &&
			nav.error.code === -101
		) {
			add('logged in', 'fail', ...loggedOutCheck(SESSDATA, failureText(nav.error)));
		} else if (nav instanceof Failure) {
			add('logged in', 'fail', failureText(nav.error), adviceFor(nav.error, 'Try again later'));
		} else if (!nav.isLogin) {
			add('logged in', 'fail', ...loggedOutCheck(SESSDATA, 'Bilibili says not logged in'));
		} else {
			add('logged in', 'pass', `as ${nav.uname || '(no name)'} (mid ${nav.mid})`);
			const given = input.credentials.DedeUserID;
			if (given !== undefined && String(given) !== String(nav.mid))
				add(
					'DedeUserID',
					'fail',
					`DedeUserID is ${String(given)} but the login is mid ${nav.mid}`,
					'Copy DedeUserID from the same login',
				);
			add(
				'B-coin balance',
				nav.bcoin_balance === undefined ? 'warn' : 'pass',
				nav.bcoin_balance === undefined
					? 'no wallet in the answer'
					: `${nav.bcoin_balance} B-coins`,
				nav.bcoin_balance === undefined ? 'Bilibili did not say; charges may still work' : '',
			);
		}

		if (!input.credentials.bili_jct) {
			add(
				'csrf',
				'fail',
				'no bili_jct given',
				'Every write (charge, reply, upload) needs BILIBILI_BILI_JCT from the same login',
			);
		} else {
			const status = await settle(client.session.getRefreshStatus());
			if (
				status instanceof Failure &&
				status.error instanceof BilibiliApiError &&
				status.error.code === -111
			)
				add(
					'csrf',
					'fail',
					'bili_jct does not belong to this SESSDATA',
					'Copy both cookies from the same login',
				);
			else if (status instanceof Failure) {
				add(
					'csrf',
					'warn',
					`not checked: ${failureText(status.error)}`,
					adviceFor(status.error, ''),
				);
				add('refresh due', 'warn', 'not checked', '');
			} else {
				add('csrf', 'pass', 'bili_jct accepted with this SESSDATA');
				add(
					'refresh due',
					status.refresh ? 'warn' : 'pass',
					status.refresh ? 'Bilibili asks for a session refresh' : 'no refresh needed',
					status.refresh
						? 'Let the one place that keeps this login refresh it (the Node-RED account node does it by itself with the refresh_token of a QR login; client: client.session.refresh; n8n: see the credential) or the cookies will stop working. Never refresh one login from two places: the other place is left with a dead login'
						: '',
				);
			}
		}

		if (input.credentials.buvid3) add('buvid3', 'pass', 'given');
		else {
			const fetched = await browserIdentity(input, runtime);
			add(
				'buvid3',
				fetched ? 'pass' : 'warn',
				fetched
					? 'not given; the client fetches one (x/frontend/finger/spi answers)'
					: 'not given, and x/frontend/finger/spi gave none',
				fetched ? '' : 'Give BILIBILI_BUVID3 (a browser cookie) if requests get -352',
			);
		}

		const charge = await client.charge.getQrPayStatus(MADE_UP_QR_TOKEN).then(
			() => undefined,
			(err: unknown) => err,
		);
		// Any Bilibili answer, even "no such code", proves the charge service answers this login.
		if (
			charge === undefined ||
			(charge instanceof BilibiliApiError &&
				typeof charge.code === 'number' &&
				charge.code !== -101 &&
				charge.code !== -352)
		)
			add('charge service', 'pass', 'answers (a read of a made-up QR code)');
		else add('charge service', 'fail', failureText(charge), adviceFor(charge, 'Try again later'));

		const remarks = await settle(client.remarks.list({ ps: 1 }));
		if (remarks instanceof Failure)
			add(
				'remark list',
				remarks.error instanceof BilibiliApiError && remarks.error.code === -101 ? 'fail' : 'warn',
				failureText(remarks.error),
				adviceFor(remarks.error, 'Only creators (UP主) who received charges have remarks'),
			);
		else add('remark list', 'pass', `readable (${remarks.page.total} remark(s))`);
	} finally {
		// Closes the runtime too.
		client.close();
	}
	return checks;
}

/** Whether the fingerprint endpoint hands out a buvid3, as the client would fetch it. */
async function browserIdentity(input: DoctorInput, runtime: Runtime): Promise<boolean> {
	try {
		const answer = await fetchDevice(
			runtime,
			input.baseUrl ?? HOSTS.api,
			{ 'User-Agent': BROWSER_USER_AGENT, Accept: 'application/json' },
			AbortSignal.timeout(input.timeoutMs ?? 10_000),
		);
		const json = JSON.parse(answer.body) as { code?: number; data?: { b_3?: unknown } };
		return json.code === 0 && typeof json.data?.b_3 === 'string' && json.data.b_3 !== '';
	} catch {
		return false;
	}
}

/** Each API host answers at all (any HTTP status), with its round-trip time. */
async function reachability(
	add: (name: string, verdict: Verdict, detail: string, advice?: string) => void,
	input: DoctorInput,
	runtime: Runtime,
): Promise<void> {
	const origins = input.baseUrl ? { 'base URL': input.baseUrl } : HOSTS;
	for (const [name, origin] of Object.entries(origins)) {
		const started = performance.now();
		const signal = AbortSignal.timeout(input.timeoutMs ?? 10_000);
		const ok = await runtime
			.send({
				method: 'GET',
				url: `${origin}/`,
				headers: { 'User-Agent': BROWSER_USER_AGENT, Accept: 'text/html' },
				auth: { cookie: '' },
				signal,
				timeoutMs: input.timeoutMs ?? 10_000,
				maxAnswerBytes: 1024 * 1024,
			})
			.then(
				() => true,
				// A page larger than the limit still proves the host answers.
				(err: { code?: string }) => err?.code === 'ANSWER_TOO_LARGE',
			);
		const ms = Math.round(performance.now() - started);
		if (ok) add(`host ${name}`, 'pass', `${origin} answers in ${ms} ms`);
		else
			add(
				`host ${name}`,
				'fail',
				`${origin}: no answer (${ms} ms)`,
				'Check the network, DNS, a proxy, or --base-url',
			);
	}
}
