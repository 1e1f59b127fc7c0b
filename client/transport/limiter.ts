import type { Runtime } from './runtime';
import { abortError } from './timing';

export interface RateLimitOptions {
	/** Requests in flight at once per host. */
	maxConcurrent?: number;
	/** Minimum time between two request starts on one host, in ms. 0 turns spacing off. */
	minIntervalMs?: number;
}

interface Waiter {
	resolve(): void;
	reject(err: Error): void;
}

/** Bounded concurrency plus a minimum start interval for one host. */
export class HostLimiter {
	private active = 0;
	private readonly waiting: Waiter[] = [];
	/** Settles when the caller before may no longer start earlier than the next one. */
	private paced: Promise<void> = Promise.resolve();
	private lastStart = -Infinity;

	constructor(
		private readonly maxConcurrent: number,
		private readonly minIntervalMs: number,
		/** Rejects with ABORTED when the signal aborts (see timing.pauseWith). */
		private readonly sleep: Runtime['sleep'],
	) {}

	async acquire(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw abortError();
		if (this.active < this.maxConcurrent) this.active++;
		// A released slot is handed straight to the next waiter, so `active` never overshoots.
		else await this.queue(signal);
		if (this.minIntervalMs > 0) {
			await this.pace(signal).catch((err: unknown) => {
				this.release();
				throw err;
			});
		}
	}

	/**
	 * Callers pass one at a time, each starting at least minIntervalMs after the one before, measured
	 * when it actually starts (a timer that fires late must not let two starts bunch up), on a
	 * monotonic clock (a wall clock stepping back must not stall every call).
	 */
	private async pace(signal?: AbortSignal): Promise<void> {
		const previous = this.paced;
		let passed!: () => void;
		this.paced = new Promise<void>((resolve) => (passed = resolve));
		let started = false;
		try {
			await untilOrAbort(previous, signal);
			for (
				let wait = this.lastStart + this.minIntervalMs - performance.now();
				wait > 0;
				wait = this.lastStart + this.minIntervalMs - performance.now()
			) {
				await this.sleep(Math.ceil(wait), signal);
			}
			this.lastStart = performance.now();
			started = true;
			passed();
		} finally {
			// Aborted: those behind still wait for the one before, so order and spacing hold.
			if (!started) void previous.then(passed);
		}
	}

	release(): void {
		const next = this.waiting.shift();
		if (next) next.resolve();
		else this.active--;
	}

	/** Waits for a slot; an abort leaves the queue at once, so a cancelled call never waits its turn. */
	private queue(signal?: AbortSignal): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				const i = this.waiting.indexOf(waiter);
				if (i >= 0) this.waiting.splice(i, 1);
				reject(abortError());
			};
			const waiter: Waiter = {
				resolve: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
				reject,
			};
			this.waiting.push(waiter);
			signal?.addEventListener('abort', onAbort, { once: true });
		});
	}
}

/** Waits for `promise`, or rejects at once when the signal aborts. */
function untilOrAbort(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
	if (!signal) return promise;
	if (signal.aborted) return Promise.reject(abortError());
	return new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(abortError());
		signal.addEventListener('abort', onAbort, { once: true });
		void promise.then(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}
