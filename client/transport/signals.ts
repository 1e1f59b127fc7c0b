/**
 * One AbortSignal that fires when any of its sources does, or when a deadline passes. Listeners are
 * removed by `dispose`, so a long-lived source (the client's close signal) holds nothing per request.
 */
export interface LinkedSignal {
	signal: AbortSignal;
	/** Why it fired: the deadline, or a source (cancel or close). */
	readonly reason: 'deadline' | 'aborted' | undefined;
	dispose(): void;
}

export function linkSignals(sources: ReadonlyArray<AbortSignal | undefined>, deadlineMs?: number): LinkedSignal {
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
	const timer = deadlineMs === undefined ? undefined : setTimeout(() => fire('deadline'), deadlineMs);
	return {
		signal: controller.signal,
		get reason() {
			return reason;
		},
		dispose() {
			if (timer) clearTimeout(timer);
			for (const s of live) s.removeEventListener('abort', onAbort);
		},
	};
}
