/**
 * Spaces out a trigger's attempts while they keep failing, so a permanent error (a logged-out cookie,
 * risk control) can never make a trigger hammer Bilibili, which is the surest way to get an account
 * flagged. Gates live for the process, keyed by trigger and account, so they also hold across an
 * engine's re-activations of the same trigger; a new cookie gets a fresh gate.
 */
import { BilibiliApiError, BilibiliValidationError } from '../errors';

/**
 * Waits after 1, 2, 3, 4… consecutive failures: 2 s and 10 s (a blip passes quickly), then 30 s
 * doubling up to 30 min, so three failures in a row mean at most one request per 30 s.
 */
export function failureBackoffMs(consecutiveFailures: number): number {
	if (consecutiveFailures <= 0) return 0;
	if (consecutiveFailures === 1) return 2_000;
	if (consecutiveFailures === 2) return 10_000;
	return Math.min(30 * 60_000, 30_000 * 2 ** (consecutiveFailures - 3));
}

export class FailureGate {
	private failures = 0;
	private notBefore = 0;
	private lastError?: Error;

	constructor(private readonly now: () => number = () => Date.now()) {}

	get consecutiveFailures(): number {
		return this.failures;
	}

	/** Milliseconds until the next attempt may be sent (0: now). */
	waitMs(): number {
		return Math.max(0, this.notBefore - this.now());
	}

	/** Throws, sending nothing, while the gate is closed; the error names the last failure and when to expect the next try. */
	check(endpoint: string): void {
		const wait = this.waitMs();
		if (wait === 0) return;
		throw new BilibiliBackingOffError(
			endpoint,
			this.failures,
			new Date(this.now() + wait),
			this.lastError,
		);
	}

	/**
	 * The whole protocol of one attempt: refused at once (BilibiliBackingOffError, nothing sent) while
	 * the gate is closed; otherwise the attempt runs and its outcome opens the gate or spaces the next
	 * one. An attempt ended by `signal` (the trigger closing) says nothing about Bilibili and is not counted.
	 */
	async run<T>(endpoint: string, attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		this.check(endpoint);
		return attempt().then(
			(result) => {
				this.succeeded();
				return result;
			},
			(err: Error) => {
				if (!signal?.aborted) this.failed(err);
				return Promise.reject(err);
			},
		);
	}

	succeeded(): void {
		this.failures = 0;
		this.notBefore = 0;
		this.lastError = undefined;
	}

	/** Counts a failed attempt; input refused before sending (or by this gate) sent nothing, so it does not count. */
	failed(error: Error): void {
		if (
			error instanceof BilibiliValidationError ||
			(error instanceof BilibiliApiError && error.code === 'BACKING_OFF')
		)
			return;
		this.failures++;
		this.lastError = error;
		this.notBefore = this.now() + failureBackoffMs(this.failures);
	}
}

/** A closed gate's answer: nothing was sent; `nextAttemptAt` says when the next attempt may go. */
export class BilibiliBackingOffError extends BilibiliApiError {
	constructor(
		endpoint: string,
		readonly consecutiveFailures: number,
		readonly nextAttemptAt: Date,
		lastError?: Error,
	) {
		super({
			code: 'BACKING_OFF',
			endpoint,
			explanation: `Paused after ${consecutiveFailures} failed attempt${consecutiveFailures === 1 ? '' : 's'} in a row; nothing was sent. Next attempt allowed at ${nextAttemptAt.toISOString()}. Last error: ${lastError?.message ?? 'unknown'}`,
			retryable: true,
			notSent: true,
		});
		this.name = 'BilibiliBackingOffError';
	}
}

const gates = new Map<string, FailureGate>();

/** The process-wide gate of one trigger (by engine, workflow or flow node, and account). */
export function triggerGate(key: string): FailureGate {
	let gate = gates.get(key);
	if (!gate) {
		gate = new FailureGate();
		gates.set(key, gate);
	}
	return gate;
}

/** Forgets a trigger's gate (the trigger was removed). */
export function forgetTriggerGate(key: string): void {
	gates.delete(key);
}
