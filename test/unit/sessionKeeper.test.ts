/**
 * The account's check schedule, on Jest's clock: once when a node starts, then once a day while a node
 * of the account runs. (What a check does is tested in Node-RED's runtime: test/node-red/sessionRefresh.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
	BilibiliApiError,
	BilibiliSessionRefreshError,
	REFRESHED_ELSEWHERE,
	type BilibiliClient,
} from '../../index';
import { CHECK_EVERY_MS, sessionKeeper } from '../../node-red/sessionKeeper';
import type { Node, NodeAPI } from '../../node-red/types';

let userDir: string;
beforeAll(() => (userDir = mkdtempSync(path.join(tmpdir(), 'bilibili-keeper-'))));
afterAll(() => rmSync(userDir, { recursive: true, force: true }));

/** What the account's check meets: alive (no refresh due), or Bilibili's -101 at cookie/info. */
const loggedOut = () =>
	new BilibiliSessionRefreshError(
		'check',
		'Bilibili -101',
		false,
		new BilibiliApiError({ code: -101, endpoint: 'session.getRefreshStatus' }),
	);

function keeper(
	running: { value: boolean },
	withUserDir = true,
	answers: Array<'alive' | 'loggedOut'> = [],
) {
	const checks: number[] = [];
	const warnings: Array<[number, string]> = [];
	const RED = {
		_: (key: string) => key,
		settings: { get: (key: string) => (key === 'userDir' && withUserDir ? userDir : undefined) },
		nodes: { addCredentials: () => undefined, getCredentials: () => undefined },
	} as unknown as NodeAPI;
	const node = {
		id: 'acct',
		credentials: {},
		log() {},
		warn: (text: string) => warnings.push([Date.now(), text]),
		debug() {},
	} as unknown as Node;
	const k = sessionKeeper(RED, node, {
		saved: { SESSDATA: 's', bili_jct: 'j', refresh_token: 't' },
		newClient: () =>
			({
				session: {
					refresh: async () => {
						checks.push(Date.now());
						if (answers.shift() === 'loggedOut') throw loggedOut();
						return undefined;
					},
				},
				close() {},
			}) as unknown as BilibiliClient,
		liveClients: () => [],
		running: () => running.value,
	});
	return { k, checks, warnings };
}

describe('the session check schedule', () => {
	beforeEach(() => jest.useFakeTimers({ now: 0 }));
	afterEach(() => jest.useRealTimers());

	it('checks when the first node starts, then once a day, not once per node', async () => {
		const running = { value: true };
		const { k, checks } = keeper(running);
		k.inUse();
		k.inUse();
		await jest.advanceTimersByTimeAsync(0);
		expect(checks).toEqual([0]);
		await jest.advanceTimersByTimeAsync(CHECK_EVERY_MS - 1);
		expect(checks).toHaveLength(1);
		await jest.advanceTimersByTimeAsync(1);
		expect(checks).toEqual([0, CHECK_EVERY_MS]);
		await k.close(false, 0);
		await jest.advanceTimersByTimeAsync(3 * CHECK_EVERY_MS);
		expect(checks).toHaveLength(2);
	});

	it('skips the days no node of the account runs; the next start checks at once if a day has passed', async () => {
		const running = { value: true };
		const { k, checks } = keeper(running);
		k.inUse();
		await jest.advanceTimersByTimeAsync(0);
		running.value = false;
		await jest.advanceTimersByTimeAsync(3 * CHECK_EVERY_MS);
		expect(checks).toEqual([0]);
		running.value = true;
		k.inUse();
		await jest.advanceTimersByTimeAsync(0);
		expect(checks).toEqual([0, 3 * CHECK_EVERY_MS]);
		await k.close(false, 0);
	});

	it('without a user directory it never refreshes (the token stays unspent) and says what to do once a day', async () => {
		const running = { value: true };
		const { k, checks, warnings } = keeper(running, false);
		k.inUse();
		k.inUse();
		await jest.advanceTimersByTimeAsync(2 * CHECK_EVERY_MS);
		expect(checks).toEqual([]);
		expect(warnings).toEqual([
			[0, 'bilibili-config.session.noUserDir'],
			[CHECK_EVERY_MS, 'bilibili-config.session.noUserDir'],
			[2 * CHECK_EVERY_MS, 'bilibili-config.session.noUserDir'],
		]);
		await k.close(false, 0);
	});

	it('a login alive at the last check and logged out at the next was refreshed elsewhere: the log and the next -101 say so', async () => {
		const running = { value: true };
		const { k, warnings } = keeper(running, true, ['alive', 'loggedOut']);
		k.inUse();
		await jest.advanceTimersByTimeAsync(0);
		expect(k.loggedOutHint()).toBe(REFRESHED_ELSEWHERE);
		await jest.advanceTimersByTimeAsync(CHECK_EVERY_MS);
		expect(warnings).toEqual([
			[CHECK_EVERY_MS, `bilibili-config.session.failed ${REFRESHED_ELSEWHERE}`],
		]);
		expect(k.loggedOutHint()).toBe(REFRESHED_ELSEWHERE);
		await k.close(false, 0);
	});

	it('a login logged out at its first check is not called refreshed elsewhere (nothing says it was alive)', async () => {
		const running = { value: true };
		const { k, warnings } = keeper(running, true, ['loggedOut']);
		k.inUse();
		await jest.advanceTimersByTimeAsync(0);
		expect(warnings).toHaveLength(1);
		expect(warnings[0][1]).not.toContain('refreshed elsewhere');
		expect(k.loggedOutHint()).toBeUndefined();
		await k.close(false, 0);
	});
});
