/**
 * The minimum B-coin balance to keep (spendingLimits.minBcoinBalance). Before a charge, the wallet is
 * read (`x/web-interface/nav`, nav-wallet.md) and a charge that would leave less is refused before it
 * is sent. The wallet is Bilibili's, one for every process and device, so the floor holds across n8n
 * workers, Node-RED instances and restarts, where the spending ledger cannot. Within a process, one
 * account's checked charges go one at a time (read, send, answer), so no charge reads a balance another
 * is about to spend; only processes reading the wallet at the same moment can each pass it.
 */
import { accountApi } from './account';
import { BilibiliApiError, BilibiliSpendingLimitError, type WalletReading } from './errors';
import { untilAborted } from './transport/signals';
import { abortError } from './transport/timing';
import type { Transport } from './transport/transport';

/** The tail of each account's queue of checked charges, for the life of the process. */
const QUEUES = new Map<string, Promise<void>>();

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
		if (!('balance' in wallet) || wallet.balance - bp < floor)
			throw new BilibiliSpendingLimitError('minBcoinBalance', floor, bp, t.spentToday(), wallet);
		return await send();
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
