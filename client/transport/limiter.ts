import { sleep } from './timing';

export interface RateLimitOptions {
	/** Requests in flight at once per host. */
	maxConcurrent?: number;
	/** Minimum time between two request starts on one host, in ms. 0 turns spacing off. */
	minIntervalMs?: number;
}

/** Bounded concurrency plus a minimum start interval for one host. */
export class HostLimiter {
	private active = 0;
	private readonly waiting: Array<() => void> = [];
	private nextStart = 0;

	constructor(
		private readonly maxConcurrent: number,
		private readonly minIntervalMs: number,
	) {}

	async acquire(signal?: AbortSignal): Promise<void> {
		if (this.active < this.maxConcurrent) this.active++;
		// A released slot is handed straight to the next waiter, so `active` never overshoots.
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
		if (this.minIntervalMs > 0) {
			// Reserve a start time synchronously so concurrent callers space out instead of racing.
			const now = Date.now();
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
		if (next) next();
		else this.active--;
	}
}
