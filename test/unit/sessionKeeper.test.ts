/**
 * The account's check schedule, on Jest's clock: once when a node starts, then once a day while a node
 * of the account runs. (What a check does is tested in Node-RED's runtime: test/node-red/sessionRefresh.)
 */
import type { BilibiliClient } from '../../index';
import { CHECK_EVERY_MS, sessionKeeper } from '../../node-red/sessionKeeper';
import type { Node, NodeAPI } from '../../node-red/types';

function keeper(running: { value: boolean }) {
	const checks: number[] = [];
	const RED = {
		_: (key: string) => key,
		settings: { get: () => undefined },
		nodes: { addCredentials: () => undefined },
	} as unknown as NodeAPI;
	const node = { id: 'acct', credentials: {}, log() {}, warn() {}, debug() {} } as unknown as Node;
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
	return { k, checks };
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
});
