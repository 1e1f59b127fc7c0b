/**
 * The minimum B-coin balance to keep (spendingLimits.minBcoinBalance). Before a charge, the wallet is
 * read (`x/web-interface/nav`, nav-wallet.md) and a charge that would leave less is refused before it
 * is sent. The wallet is Bilibili's, one for every process and device, so the floor holds across n8n
 * workers, Node-RED instances and restarts, where the spending ledger cannot. Within a process, one
 * account's checked charges go one at a time (read, send, answer), so no charge reads a balance another
 * is about to spend; only processes reading the wallet at the same moment can each pass it.
 *
 * Two things the reading does not show yet are taken off it. A balance-first QR code draws on the
 * wallet only when paid, up to its ten minutes later: each one this process made is held until it is
 * seen paid or expired, or its time is up. And the wallet may be read before Bilibili has booked the
 * charge just answered: for a minute after this process's last charge (sent, whatever its answer), the
 * balance counted is at most the one it read then less what it charged.
 */
import { accountApi } from './account';
import { BilibiliApiError, BilibiliSpendingLimitError, type WalletReading } from './errors';
import { untilAborted } from './transport/signals';
import { abortError } from './transport/timing';
import type { Transport } from './transport/transport';

/** The tail of each account's queue of checked charges, for the life of the process. */
const QUEUES = new Map<string, Promise<void>>();

/** How long a balance counted after a charge outweighs a higher wallet reading. */
const BOOKING_LAG_MS = 60_000;
/** Per account: balance-first QR codes not yet seen paid or expired (id → B-coins, end of hold). */
const HOLDS = new Map<string, Map<string, { bp: number; until: number }>>();
/** Per account: the balance counted after its last charge, and until when it holds. */
const COUNTED = new Map<string, { balance: number; until: number }>();
let unnamed = 0;

/** Holds `bp` B-coins of the account's balance for a balance-first QR code (or one whose creation is unclear). */
export function holdForQrCode(t: Transport, qr_token: string | undefined, bp: number, ms: number) {
	const holds = HOLDS.get(t.accountKey) ?? new Map<string, { bp: number; until: number }>();
	HOLDS.set(t.accountKey, holds);
	holds.set(qr_token ?? `unclear ${++unnamed}`, { bp, until: Date.now() + ms });
}

/** A QR code seen paid (the wallet now shows it) or expired (it never will): its hold ends. */
export function releaseQrCode(t: Transport, qr_token: string) {
	HOLDS.get(t.accountKey)?.delete(qr_token);
}

function held(key: string): number {
	const holds = HOLDS.get(key);
	if (!holds) return 0;
	const now = Date.now();
	let sum = 0;
	for (const [id, hold] of holds) {
		if (hold.until <= now) holds.delete(id);
		else sum += hold.bp;
	}
	if (!holds.size) HOLDS.delete(key);
	return sum;
}

/**
 * Sends a charge of `bp` B-coins (`send`) only if the wallet, read first, keeps the floor after it.
 * Without a floor it just sends. A wallet that cannot be read refuses the charge: nothing is sent.
 */
export async function keepingBalanceFloor<T>(
	t: Transport,
	endpoint: string,
	bp: number,
	signal: AbortSignal | undefined,
	send: () => Promise<T>,
	/** For a charge (what it spends is counted unless this proves it moved nothing); absent for a QR code. */
	provesNotCharged?: (err: unknown) => boolean,
): Promise<T> {
	const floor = t.spendingLimits.minBcoinBalance;
	if (!floor) return send();
	const key = t.accountKey;
	const before = QUEUES.get(key) ?? Promise.resolve();
	let done!: () => void;
	const mine = new Promise<void>((resolve) => (done = resolve));
	const tail = before.then(() => mine);
	QUEUES.set(key, tail);
	try {
		if (signal) {
			try {
				await untilAborted(before, signal);
			} catch {
				throw abortError(endpoint, true);
			}
		} else await before;
		const wallet = await readWallet(t, signal);
		if (!('balance' in wallet))
			throw new BilibiliSpendingLimitError('minBcoinBalance', floor, bp, t.spentToday(), wallet);
		const counted = COUNTED.get(key);
		const balance =
			counted && counted.until > Date.now()
				? Math.min(wallet.balance, counted.balance)
				: wallet.balance;
		const reading = { balance: wallet.balance, held: wallet.balance - balance + held(key) };
		if (reading.balance - reading.held - bp < floor)
			throw new BilibiliSpendingLimitError('minBcoinBalance', floor, bp, t.spentToday(), reading);
		const charged = () =>
			provesNotCharged &&
			COUNTED.set(key, { balance: balance - bp, until: Date.now() + BOOKING_LAG_MS });
		return await send().then(
			(answer) => {
				charged();
				return answer;
			},
			(err: unknown) => {
				if (!provesNotCharged?.(err)) charged();
				throw err;
			},
		);
	} finally {
		done();
		if (QUEUES.get(key) === tail) QUEUES.delete(key);
	}
}

async function readWallet(t: Transport, signal: AbortSignal | undefined): Promise<WalletReading> {
	try {
		const nav = await accountApi(t).getNav(signal);
		return nav.bcoin_balance === undefined
			? { unreadable: 'the answer has no wallet.bcoin_balance' }
			: { balance: nav.bcoin_balance };
	} catch (err) {
		if (signal?.aborted) throw abortError('account.getNav', true);
		return {
			unreadable:
				err instanceof BilibiliApiError
					? `Bilibili ${err.code} on ${err.endpoint}: ${err.explanation}`
					: (err as Error).message,
		};
	}
}

/**
 * Forgets every hold and counted balance of the process: for a wallet replaced under the same account
 * (the simulator's reset between tests), never needed against Bilibili.
 */
export function forgetBalanceHolds(): void {
	HOLDS.clear();
	COUNTED.clear();
}
