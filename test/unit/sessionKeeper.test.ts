/**
 * The account's check schedule, on Jest's clock: once when a node starts, then once a day while a node
 * of the account runs. (What a check does is tested in Node-RED's runtime: test/node-red/sessionRefresh.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BilibiliClient } from '../../index';
import { CHECK_EVERY_MS, sessionKeeper } from '../../node-red/sessionKeeper';
import type { Node, NodeAPI } from '../../node-red/types';

let userDir: string;
beforeAll(() => (userDir = mkdtempSync(path.join(tmpdir(), 'bilibili-keeper-'))));
afterAll(() => rmSync(userDir, { recursive: true, force: true }));

function keeper(running: { value: boolean }, withUserDir = true) {
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
});
