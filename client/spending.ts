/**
 * The spending guard: a per-account, rolling 24-hour ledger of B-coin charges sent by this process.
 * A charge over a limit is refused before anything is sent. A charge counts from the moment it is
 * sent, whether it succeeds or its outcome is unknown; only an answer proving it did not happen
 * gives its B-coins back.
 */
import { BilibiliSpendingLimitError } from './errors';
import { integerInRange, own } from './validate';

export interface SpendingLimits {
	/** Largest single B-coin charge. Default 50. */
	maxPerCharge?: number;
	/** B-coins per account per rolling 24 hours, in this process. Default 200. */
	maxPer24h?: number;
}

export const DEFAULT_SPENDING_LIMITS: Required<SpendingLimits> = { maxPerCharge: 50, maxPer24h: 200 };
export const SPENDING_WINDOW_MS = 24 * 60 * 60_000;
/** A limit above this is not a limit; refuse it as a typo rather than treat it as "off". */
const LIMIT_CEILING = 1_000_000;

export function readSpendingLimits(input: SpendingLimits | undefined): Required<SpendingLimits> {
	return {
		maxPerCharge: integerOr('spendingLimits.maxPerCharge', own(input, 'maxPerCharge'), DEFAULT_SPENDING_LIMITS.maxPerCharge),
		maxPer24h: integerOr('spendingLimits.maxPer24h', own(input, 'maxPer24h'), DEFAULT_SPENDING_LIMITS.maxPer24h),
	};
}

function integerOr(field: string, value: unknown, fallback: number): number {
	return value === undefined ? fallback : integerInRange(field, value, 2, LIMIT_CEILING);
}

interface Entry {
	at: number;
	bp: number;
}

export class SpendingLedger {
	private readonly accounts = new Map<string, Entry[]>();

	/** B-coins counted for the account in the 24 hours before `now`. */
	spent(account: string, now = Date.now()): number {
		return this.live(account, now).reduce((sum, e) => sum + e.bp, 0);
	}

	/**
	 * Counts a charge about to be sent, or throws if it would pass a limit. Synchronous, so parallel
	 * charges cannot all pass the check before any of them counts. Returns the refund for a charge
	 * that provably did not happen.
	 */
	reserve(account: string, bp: number, limits: Required<SpendingLimits>, now = Date.now()): () => void {
		if (bp > limits.maxPerCharge) throw new BilibiliSpendingLimitError('maxPerCharge', limits.maxPerCharge, bp, this.spent(account, now));
		const spent = this.spent(account, now);
		if (spent + bp > limits.maxPer24h) throw new BilibiliSpendingLimitError('maxPer24h', limits.maxPer24h, bp, spent);
		const entry = { at: now, bp };
		this.live(account, now).push(entry);
		return () => {
			const list = this.accounts.get(account);
			const i = list?.indexOf(entry) ?? -1;
			if (list && i >= 0) list.splice(i, 1);
		};
	}

	private live(account: string, now: number): Entry[] {
		const list = (this.accounts.get(account) ?? []).filter((e) => now - e.at < SPENDING_WINDOW_MS);
		this.accounts.set(account, list);
		return list;
	}
}

/** One ledger per process, shared by every client of the same account. */
export const processLedger = new SpendingLedger();
