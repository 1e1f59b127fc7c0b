import { abortError, sleep } from './timing';

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
	private nextStart = 0;

	constructor(
		private readonly maxConcurrent: number,
		private readonly minIntervalMs: number,
	) {}

	async acquire(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw abortError();
		if (this.active < this.maxConcurrent) this.active++;
		// A released slot is handed straight to the next waiter, so `active` never overshoots.
		else await this.queue(signal);
		if (this.minIntervalMs > 0) {
			// Reserve a start time synchronously so concurrent callers space out instead of racing. A monotonic
			// clock: if the wall clock stepped back, a Date-based reservation would stall every call until it caught up.
			const now = performance.now();
			const start = Math.max(now, this.nextStart);
			this.nextStart = start + this.minIntervalMs;
			if (start > now) {
				try {
					await sleep(start - now, signal);
				} catch (err) {
					this.release();
					throw err;
				}
			}
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
