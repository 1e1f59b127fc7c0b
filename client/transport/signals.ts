/**
 * One AbortSignal that fires when any of its sources does, or when a deadline passes. Listeners are
 * removed by `dispose`, so a long-lived source (the client's close signal) holds nothing per request.
 */
import type { Runtime } from './runtime';

export interface LinkedSignal {
	signal: AbortSignal;
	/** Why it fired: the deadline, or a source (cancel or close). */
	readonly reason: 'deadline' | 'aborted' | undefined;
	dispose(): void;
}

export function linkSignals(
	sources: ReadonlyArray<AbortSignal | undefined>,
	deadline?: { ms: number; runtime: Pick<Runtime, 'sleep' | 'timer'> },
): LinkedSignal {
	const controller = new AbortController();
	let reason: LinkedSignal['reason'];
	const fire = (why: 'deadline' | 'aborted') => {
		if (controller.signal.aborted) return;
		reason = why;
		controller.abort();
	};
	const onAbort = () => fire('aborted');
	const live = sources.filter((s): s is AbortSignal => s !== undefined);
	for (const s of live) {
		if (s.aborted) fire('aborted');
		else s.addEventListener('abort', onAbort, { once: true });
	}
	// The deadline is the runtime's timer, or a sleep of the runtime's, cancelled by dispose (the client
	// itself owns no timer).
	let cancel: (() => void) | undefined;
	if (deadline?.runtime.timer) cancel = deadline.runtime.timer(deadline.ms, () => fire('deadline'));
	else if (deadline) {
		const timer = new AbortController();
		deadline.runtime.sleep(deadline.ms, timer.signal).then(
			() => fire('deadline'),
			() => undefined,
		);
		cancel = () => timer.abort();
	}
	return {
		signal: controller.signal,
		get reason() {
			return reason;
		},
		dispose() {
			cancel?.();
			for (const s of live) s.removeEventListener('abort', onAbort);
		},
	};
}

/** Settles like `promise`, or rejects with ERR_CANCELED as soon as `signal` aborts, whatever the runtime does. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const cancelled = () => reject(Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' }));
		if (signal.aborted) {
			promise.catch(() => undefined);
			return cancelled();
		}
		signal.addEventListener('abort', cancelled, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', cancelled);
				resolve(value);
			},
			(err: unknown) => {
				signal.removeEventListener('abort', cancelled);
				reject(err);
			},
		);
	});
}
