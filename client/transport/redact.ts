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

/** Every string in a parsed JSON value (keys included) with the secrets replaced. */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
	if (typeof value === 'string') return redact(value, secrets);
	if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		// defineProperty, not assignment: a "__proto__" key in the answer must stay plain data.
		for (const [k, v] of Object.entries(value)) {
			Object.defineProperty(out, redact(k, secrets), { value: redactDeep(v, secrets), enumerable: true, writable: true, configurable: true });
		}
		return out;
	}
	return value;
}
