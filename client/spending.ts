/**
 * The spending guard: a per-account, rolling 24-hour ledger of B-coin charges sent by this process.
 * A charge over a limit is refused before anything is sent. A charge counts from the moment it is
 * sent, whether it succeeds or its outcome is unknown; only an answer proving it did not happen
 * gives its B-coins back.
 */
import { createHash, randomUUID } from 'node:crypto';
import { BilibiliSpendingLimitError } from './errors';
import { integerInRange, own } from './validate';

export interface SpendingLimits {
	/** Largest single B-coin charge. Default 50. */
	maxPerCharge?: number;
	/** B-coins per account per rolling 24 hours, in this process. Default 200. */
	maxPer24h?: number;
	/**
	 * B-coins to keep on the account: before a charge (or a QR code that may draw on the balance) the
	 * wallet is read and a charge that would leave less is refused. Bilibili's wallet is one for every
	 * process, so this holds across workers and restarts. 0..1,000,000; 0 (the default) is off.
	 */
	minBcoinBalance?: number;
}

export const DEFAULT_SPENDING_LIMITS: Required<SpendingLimits> = {
	maxPerCharge: 50,
	maxPer24h: 200,
	minBcoinBalance: 0,
};
/** What a balance floor may be; 0 is off. */
export const BALANCE_FLOOR_RANGE = { min: 0, max: 1_000_000 } as const;
export const SPENDING_WINDOW_MS = 24 * 60 * 60_000;
/** What a limit may be: above the maximum is not a limit; refuse it as a typo rather than treat it as "off". */
export const SPENDING_LIMIT_RANGE = { min: 2, max: 1_000_000 } as const;

export function readSpendingLimits(input: SpendingLimits | undefined): Required<SpendingLimits> {
	return {
		maxPerCharge: integerOr(
			'spendingLimits.maxPerCharge',
			own(input, 'maxPerCharge'),
			DEFAULT_SPENDING_LIMITS.maxPerCharge,
		),
		maxPer24h: integerOr(
			'spendingLimits.maxPer24h',
			own(input, 'maxPer24h'),
			DEFAULT_SPENDING_LIMITS.maxPer24h,
		),
		minBcoinBalance:
			own(input, 'minBcoinBalance') === undefined
				? DEFAULT_SPENDING_LIMITS.minBcoinBalance
				: integerInRange(
						'spendingLimits.minBcoinBalance',
						own(input, 'minBcoinBalance'),
						BALANCE_FLOOR_RANGE.min,
						BALANCE_FLOOR_RANGE.max,
					),
	};
}

function integerOr(field: string, value: unknown, fallback: number): number {
	return value === undefined
		? fallback
		: integerInRange(field, value, SPENDING_LIMIT_RANGE.min, SPENDING_LIMIT_RANGE.max);
}

/** One counted charge as a store keeps it: when, how many B-coins, and an id that makes it one. */
export interface SpendingRecord {
	id: string;
	at: number;
	bp: number;
}

/**
 * Where a host keeps an account's counted charges across a restart (Node-RED: a file in the user
 * directory). Loaded once per process (records already counted are not counted twice), saved after
 * every change.
 */
export interface SpendingStore {
	load(): SpendingRecord[];
	save(records: SpendingRecord[]): void;
}

interface Entry {
	id: string;
	at: number;
	bp: number;
	/** Every name the client could derive for the account that sent it (mid, login cookie). */
	keys: readonly string[];
}

/**
 * The names one login goes by: its mid (when DedeUserID is known) and a one-way hash of the login
 * cookie, percent-decoded first so that `%2A`, `%2a` and `*` (or `%2C` and `,`) are one session.
 * A charge counts against all of them, and a check sees every charge that shares any of them, so the
 * same account can never get a second budget by being written differently.
 */
export function accountKeys(sessdata: string, dedeUserId?: string): string[] {
	const keys = [`sessdata:${sha256(canonicalSessdata(sessdata)).slice(0, 16)}`];
	if (dedeUserId !== undefined && /^\d+$/.test(dedeUserId))
		keys.unshift(`mid:${BigInt(dedeUserId).toString()}`);
	return keys;
}

function canonicalSessdata(value: string): string {
	let text = value.trim();
	// Decoding twice covers a value that was encoded twice (%252C); more is not seen in the field.
	for (let i = 0; i < 2 && /%[0-9a-fA-F]{2}/.test(text); i++) {
		try {
			text = decodeURIComponent(text);
		} catch {
			break;
		}
	}
	return text;
}

export class SpendingLedger {
	private entries: Entry[] = [];
	/** Names seen together belong to one account, for good: a union-find over the names. */
	private readonly parent = new Map<string, string>();

	/** Records that these names are one account (a client that knows both its mid and its login). */
	link(keys: readonly string[]): void {
		const [first, ...rest] = keys.map((k) => this.root(k));
		for (const other of rest) if (other !== first) this.parent.set(other, first);
	}

	/** B-coins counted in the 24 hours before `now` for the account any of these names belongs to. */
	spent(keys: string | readonly string[], now = Date.now()): number {
		const roots = new Set((typeof keys === 'string' ? [keys] : keys).map((k) => this.root(k)));
		return this.live(now)
			.filter((e) => e.keys.some((k) => roots.has(this.root(k))))
			.reduce((sum, e) => sum + e.bp, 0);
	}

	/**
	 * Counts a charge about to be sent, or throws if it would pass a limit. Synchronous, so parallel
	 * charges cannot all pass the check before any of them counts. Returns the refund for a charge
	 * that provably did not happen.
	 */
	reserve(
		keys: string | readonly string[],
		bp: number,
		limits: Pick<Required<SpendingLimits>, 'maxPerCharge' | 'maxPer24h'>,
		now = Date.now(),
	): () => void {
		const names = typeof keys === 'string' ? [keys] : [...keys];
		this.link(names);
		const spent = this.spent(names, now);
		if (bp > limits.maxPerCharge)
			throw new BilibiliSpendingLimitError('maxPerCharge', limits.maxPerCharge, bp, spent);
		if (spent + bp > limits.maxPer24h)
			throw new BilibiliSpendingLimitError('maxPer24h', limits.maxPer24h, bp, spent);
		const entry: Entry = { id: randomUUID(), at: now, bp, keys: names };
		this.entries.push(entry);
		return () => {
			this.entries = this.entries.filter((e) => e !== entry);
		};
	}

	/** The account's charges counted in the last 24 hours, as a store keeps them. */
	records(keys: readonly string[], now = Date.now()): SpendingRecord[] {
		const roots = new Set(keys.map((k) => this.root(k)));
		return this.live(now)
			.filter((e) => e.keys.some((k) => roots.has(this.root(k))))
			.map(({ id, at, bp }) => ({ id, at, bp }));
	}

	/** Counts charges a store kept for the account (from before a restart); ones already counted are skipped. */
	restore(keys: readonly string[], records: unknown, now = Date.now()): void {
		if (!Array.isArray(records)) return;
		this.link(keys);
		const known = new Set(this.entries.map((e) => e.id));
		for (const r of records as Array<Partial<SpendingRecord>>) {
			const valid =
				typeof r?.id === 'string' &&
				Number.isSafeInteger(r.at) &&
				Number.isSafeInteger(r.bp) &&
				(r.bp as number) > 0 &&
				now - (r.at as number) < SPENDING_WINDOW_MS;
			if (!valid || known.has(r.id as string)) continue;
			known.add(r.id as string);
			this.entries.push({
				id: r.id as string,
				at: r.at as number,
				bp: r.bp as number,
				keys: [...keys],
			});
		}
	}

	private root(key: string): string {
		let k = key;
		for (let up = this.parent.get(k); up !== undefined && up !== k; up = this.parent.get(k)) k = up;
		if (k !== key) this.parent.set(key, k);
		return k;
	}

	private live(now: number): Entry[] {
		this.entries = this.entries.filter((e) => now - e.at < SPENDING_WINDOW_MS);
		return this.entries;
	}
}

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** One ledger per process, shared by every client of the same account. */
export const processLedger = new SpendingLedger();
