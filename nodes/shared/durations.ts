/** Time fields of the n8n nodes: checked in the unit the user typed, sent to the client in whole ms. */
import { BilibiliValidationError, describe } from '../../client';

/** A duration field's value (seconds or minutes) as whole milliseconds, or a validation error naming the field. */
export function durationMs(
	value: unknown,
	field: string,
	unit: 'seconds' | 'minutes',
	min: number,
	max: number,
): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
		throw new BilibiliValidationError(
			field,
			`a number of ${unit} from ${min} to ${max}`,
			describe(value),
		);
	}
	return Math.round(n * (unit === 'seconds' ? 1000 : 60_000));
}

/** Status polls of a QR code: at least a second apart (the client's floor), at most ten minutes (a code's life). */
export const POLL_SECONDS = { min: 1, max: 600 } as const;

/** Wait for QR Payment: at most a day, the client's own bound. */
export const WAIT_MINUTES = { min: 0, max: 24 * 60 } as const;
