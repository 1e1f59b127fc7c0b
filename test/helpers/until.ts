/**
 * Waits until `probe` gives a value (not undefined, not false), asking every `everyMs`; a probe that
 * throws counts as "not yet". Fails with what was awaited once `ms` have passed.
 */
export async function until<T>(
	what: string,
	probe: () => Promise<T | undefined | false> | T | undefined | false,
	ms = 60_000,
	everyMs = 200,
): Promise<T> {
	for (
		const end = Date.now() + ms;
		Date.now() < end;
		await new Promise((r) => setTimeout(r, everyMs))
	) {
		const value = await Promise.resolve()
			.then(probe)
			.catch(() => undefined);
		if (value !== undefined && value !== false) return value;
	}
	throw new Error(`timed out waiting for ${what}`);
}
