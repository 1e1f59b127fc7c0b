/**
 * For the "no trigger floods Bilibili" tests: only Date is faked (the failure gate reads the clock),
 * while the engines and the simulator keep real timers, so two minutes pass in a moment.
 */
export function fakeDateOnly(): void {
	jest.useFakeTimers({
		doNotFake: [
			'setTimeout',
			'clearTimeout',
			'setInterval',
			'clearInterval',
			'setImmediate',
			'clearImmediate',
			'nextTick',
			'queueMicrotask',
			'hrtime',
			'performance',
		],
	});
}

/** The gate over two minutes of attempts every second: 0 s, then 2 s and 10 s after the first failures, then 30 s and 60 s apart. */
export const GATE_SCHEDULE = [0, 2, 12, 42, 102];

/**
 * Makes one attempt a second for two minutes on a faked clock and returns the seconds at which a
 * request reached the simulator. `attempt` resolves once its attempt has ended; `requests` counts the
 * requests of the kind received so far. No attempt may send more than one.
 */
export async function secondsWithRequests(
	attempt: (second: number) => Promise<unknown>,
	requests: () => number,
): Promise<number[]> {
	fakeDateOnly();
	try {
		const start = Date.now();
		const sent: number[] = [];
		for (let s = 0; s <= 120; s++) {
			jest.setSystemTime(start + s * 1000);
			const before = requests();
			await attempt(s);
			const count = requests() - before;
			expect(count).toBeLessThanOrEqual(1);
			if (count) sent.push(s);
		}
		return sent;
	} finally {
		jest.useRealTimers();
	}
}
