/**
 * Input checks run before any request is sent. Each failure names the field, what is allowed and what
 * was given, so a user in n8n or Node-RED can fix the right parameter.
 */
import { BilibiliValidationError } from './errors';

/** Bilibili ids (mid, avid, remark id) may exceed 2^31; numeric strings are accepted and kept exact. */
export type Id = number | string;

export function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string')
		return value.length > 60 ? `a ${value.length}-character string` : JSON.stringify(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (Buffer.isBuffer(value)) return `a Buffer of ${value.length} bytes`;
	return `a value of type ${Array.isArray(value) ? 'array' : typeof value}`;
}

/** A positive integer id, returned as its decimal string. */
export function positiveId(field: string, value: unknown): string {
	const text =
		typeof value === 'number'
			? Number.isSafeInteger(value)
				? String(value)
				: ''
			: typeof value === 'string'
				? value.trim()
				: '';
	if (!/^[1-9]\d{0,18}$/.test(text)) {
		throw new BilibiliValidationError(
			field,
			'a positive integer (numeric strings accepted)',
			describe(value),
		);
	}
	return text;
}

/** Whole numbers only, written in decimal: "0x10", "1e3", "2.0" and " " are refused, not read loosely. */
export function integerInRange(
	field: string,
	value: unknown,
	min: number,
	max = Number.MAX_SAFE_INTEGER,
): number {
	const n =
		typeof value === 'string' ? (/^\s*-?\d{1,16}\s*$/.test(value) ? Number(value) : NaN) : value;
	if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
		const range =
			max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
		throw new BilibiliValidationError(field, range, describe(value));
	}
	return n;
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
	if (typeof value !== 'string' || !allowed.includes(value as T)) {
		throw new BilibiliValidationError(
			field,
			`one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
			describe(value),
		);
	}
	return value as T;
}

export function nonEmptyText(field: string, value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new BilibiliValidationError(field, 'non-empty text', describe(value));
	}
	return value;
}

/** Counted in characters (code points), as Bilibili counts them, not UTF-16 units or bytes. */
export function textUpTo(field: string, value: unknown, maxChars: number): string {
	if (typeof value !== 'string')
		throw new BilibiliValidationError(
			field,
			`text of at most ${maxChars} characters`,
			describe(value),
		);
	const length = [...value].length;
	if (length > maxChars) {
		throw new BilibiliValidationError(
			field,
			`at most ${maxChars} characters`,
			`${length} characters`,
		);
	}
	return value;
}

/** A real calendar date written YYYY-MM-DD (2023-02-30 is refused). */
export function calendarDate(field: string, value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : undefined;
	if (
		!m ||
		!d ||
		d.getUTCFullYear() !== +m[1] ||
		d.getUTCMonth() !== +m[2] - 1 ||
		d.getUTCDate() !== +m[3]
	) {
		throw new BilibiliValidationError(field, 'a real date written YYYY-MM-DD', describe(value));
	}
	return text;
}

export function dateRange(begin: unknown, end: unknown): { begin?: string; end?: string } {
	const b = begin === undefined || begin === '' ? undefined : calendarDate('begin', begin);
	const e = end === undefined || end === '' ? undefined : calendarDate('end', end);
	if (b && e && b > e)
		throw new BilibiliValidationError('begin', `a date on or before end (${e})`, JSON.stringify(b));
	return { begin: b, end: e };
}

/** A value that goes into an HTTP header: CR, LF or NUL would let it add headers of its own. */
export function headerSafe(field: string, value: string): string {
	if (/[\r\n\0]/.test(value))
		throw new BilibiliValidationError(
			field,
			'text without line breaks or NUL characters',
			describe(value),
		);
	return value;
}

/** Options read from the object's own properties only, so a polluted Object.prototype cannot inject one. */
export function own<T extends object, K extends keyof T>(
	object: T | null | undefined,
	key: K,
): T[K] | undefined {
	return object !== null &&
		typeof object === 'object' &&
		Object.prototype.hasOwnProperty.call(object, key)
		? object[key]
		: undefined;
}

/** An optional numeric option: undefined keeps the default; anything else must be an integer in range. */
export function optionalInteger(
	field: string,
	value: unknown,
	fallback: number,
	min: number,
	max?: number,
): number {
	return value === undefined ? fallback : integerInRange(field, value, min, max);
}

export function booleanFlag(field: string, value: unknown, fallback: boolean): boolean {
	if (value === undefined) return fallback;
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw new BilibiliValidationError(field, 'true or false', describe(value));
}
