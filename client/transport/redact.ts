/** The forms of each secret to look for (as is, URL-encoded, URL-decoded), worked out once per list. */
const formsOf = new WeakMap<readonly string[], { count: number; forms: string[] }>();

function secretForms(secrets: readonly string[]): string[] {
	const known = formsOf.get(secrets);
	// A client's list only grows (a refreshed session adds its values): its length says it changed.
	if (known && known.count === secrets.length) return known.forms;
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (!secret || secret.length < 4) continue;
		for (const form of [secret, encodeURIComponent(secret), safeDecode(secret)]) forms.add(form);
	}
	const list = [...forms];
	formsOf.set(secrets, { count: secrets.length, forms: list });
	return list;
}

/** Replaces every occurrence of each secret (and its URL-encoded form) in a text. */
export function redact(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const form of secretForms(secrets))
		if (out.includes(form)) out = out.split(form).join('***');
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

/**
 * An answer's parsed JSON with the secrets replaced, like redactDeep, without copying it when its
 * text cannot hold one: no secret form in the raw text and no backslash (an escape could spell one
 * differently) means no string in it holds one. The depth limit holds either way.
 */
export function redactAnswer(body: string, json: unknown, secrets: readonly string[]): unknown {
	const forms = secretForms(secrets);
	if (body.includes('\\') || forms.some((f) => body.includes(f))) return redactDeep(json, secrets);
	return deeperThan(json, 0) ? TOO_DEEP : json;
}

function deeperThan(value: unknown, depth: number): boolean {
	if (value === null || typeof value !== 'object') return false;
	if (depth >= MAX_ANSWER_DEPTH) return true;
	for (const v of Array.isArray(value) ? value : Object.values(value))
		if (deeperThan(v, depth + 1)) return true;
	return false;
}
