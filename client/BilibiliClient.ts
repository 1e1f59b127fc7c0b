import { accountApi, type AccountApi } from './account';
import { chargeApi, type ChargeApi } from './charge';
import { customerServiceApi, type CustomerServiceApi } from './customerService';
import { remarksApi, type Remark, type RemarksApi } from './remarks';
import { sessionApi, type SessionApi, type SessionOptions } from './session';
import { Transport, type TransportOptions } from './transport/transport';
import {
	newestRemark,
	pollNewRemarks,
	type RemarkMark,
	type RemarkPollOptions,
	type RemarkPollResult,
} from './watchers/remarkWatcher';
import { watchQrPay, type QrPayEvent, type QrPayWatchOptions } from './watchers/qrPayWatcher';

export type BilibiliClientOptions = TransportOptions & SessionOptions;

/**
 * The typed Bilibili client: `client.charge`, `client.remarks`, `client.account`,
 * `client.customerService`, plus the two watchers. Call `close()` when done to free keep-alive sockets.
 */
export class BilibiliClient {
	readonly charge: ChargeApi;
	readonly remarks: RemarksApi;
	readonly account: AccountApi;
	readonly customerService: CustomerServiceApi;
	/** Keeping the login alive: is a refresh due, and the refresh (cookie-refresh.md). */
	readonly session: SessionApi;
	private readonly transport: Transport;

	constructor(options: BilibiliClientOptions) {
		this.transport = new Transport(options);
		this.charge = chargeApi(this.transport);
		this.remarks = remarksApi(this.transport);
		this.account = accountApi(this.transport);
		this.customerService = customerServiceApi(this.transport);
		const key = Object.hasOwn(options, 'refreshPublicKey') ? options.refreshPublicKey : undefined;
		this.session = sessionApi(this.transport, { refreshPublicKey: key });
	}

	/** Remarks that arrived since `mark`, oldest first, and the mark to store next. */
	pollNewRemarks(
		mark: RemarkMark | undefined,
		options?: RemarkPollOptions,
	): Promise<RemarkPollResult> {
		return pollNewRemarks(this.remarks, mark, options);
	}

	/** The newest remark received, with sender details if asked; undefined when there is none. */
	newestRemark(
		options?: Pick<RemarkPollOptions, 'includeDetails' | 'signal'>,
	): Promise<Remark | undefined> {
		return newestRemark(this.remarks, options);
	}

	/** Creates a charge QR code and follows it to paid, expired or failed. */
	watchQrPay(options: QrPayWatchOptions): Promise<QrPayEvent | undefined> {
		return watchQrPay(this.charge, options);
	}

	/** Whom this client acts for, without its secrets: the mid, or a one-way hash of SESSDATA. */
	get accountKey(): string {
		return this.transport.accountKey;
	}

	close(): void {
		this.transport.close();
	}

	/** close() was called: every later call fails at once. */
	get closed(): boolean {
		return this.transport.closed;
	}

	/** Keeps cookies out of console.log and util.inspect. */
	[Symbol.for('nodejs.util.inspect.custom')](): string {
		return 'BilibiliClient {}';
	}

	toJSON(): Record<string, never> {
		return {};
	}
}
