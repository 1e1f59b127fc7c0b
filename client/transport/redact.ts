/** Replaces every occurrence of each secret (and its URL-encoded form) in a text. */
export function redact(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (!secret || secret.length < 4) continue;
		for (const form of new Set([secret, encodeURIComponent(secret), safeDecode(secret)])) {
			out = out.split(form).join('***');
		}
	}
	return out;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** No Bilibili answer nests deeper than a few levels; a deeper one is refused rather than walked. */
export const MAX_ANSWER_DEPTH = 64;

/** What redactDeep gives for an answer nested deeper than MAX_ANSWER_DEPTH. */
export const TOO_DEEP: unique symbol = Symbol('answer too deep');

/**
 * Every string in a parsed JSON value (keys included) with the secrets replaced; TOO_DEEP past
 * MAX_ANSWER_DEPTH, so a hostile answer cannot overflow the stack.
 */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
	const state = { tooDeep: false };
	const out = walk(value, secrets, 0, state);
	return state.tooDeep ? TOO_DEEP : out;
}

function walk(
	value: unknown,
	secrets: readonly string[],
	depth: number,
	state: { tooDeep: boolean },
): unknown {
	if (typeof value === 'string') return redact(value, secrets);
	if (value === null || typeof value !== 'object' || state.tooDeep) return value;
	if (depth >= MAX_ANSWER_DEPTH) {
		state.tooDeep = true;
		return undefined;
	}
	if (Array.isArray(value)) return value.map((v) => walk(v, secrets, depth + 1, state));
	const out: Record<string, unknown> = {};
	// defineProperty, not assignment: a "__proto__" key in the answer must stay plain data.
	for (const [k, v] of Object.entries(value)) {
		Object.defineProperty(out, redact(k, secrets), {
			value: walk(v, secrets, depth + 1, state),
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}
	return out;
}
