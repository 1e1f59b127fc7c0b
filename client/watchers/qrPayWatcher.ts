/**
 * Follows one charge QR code from creation to payment or expiry, announcing each state once.
 * Transient poll failures are reported and survived; only a terminal state or the abort signal ends it,
 * and either way no timer is left behind.
 */
import { BilibiliOutcomeUnknownError, watcherMayPollPast } from '../errors';
import type { ChargeApi, ChargeParams, QrPayCode } from '../charge';
import { QR_PAY_VALID_MS } from '../charge';
import { renderQrCode, type QrFormat, type RenderedQr } from '../qr';
import { FailureGate } from './failureGate';
import { optionalInteger, own } from '../validate';

/** Status polls are at least a second apart: a faster poller only invites risk control. */
export const MIN_POLL_MS = 1000;
const MAX_POLL_MS = 10 * 60_000;
/** A code shorter-lived than this would be renewed in a tight loop by a trigger. */
const MIN_VALID_MS = 1000;
/** How long a scanned code is still followed after its ten minutes (at most its own life). */
export const SCANNED_GRACE_MS = 30_000;
/** Tries of the last look when it meets passing failures, before the watch reports `failed`. */
const LAST_LOOK_TRIES = 3;

export type QrPayEventType = 'created' | 'scanned' | 'paid' | 'expired' | 'failed';

export interface QrPayEvent extends Partial<QrPayCode>, RenderedQr {
	type: QrPayEventType;
	/** When the event was seen (ISO 8601). */
	at: string;
	/** On `paid`: the order a charge message can be left on. */
	order_no?: string;
	/** On `failed`: why. */
	error?: Error;
}

export interface QrPayWatchOptions {
	charge: ChargeParams;
	/** Follow this code, already created, instead of creating one. */
	code?: QrPayCode;
	/**
	 * Spaces out requests while they keep failing (creation and polls share it). A trigger passes its
	 * process-wide gate so the spacing holds across renewals and re-activations. Default: a fresh gate.
	 */
	gate?: FailureGate;
	/** Time between status polls. Default 2000 ms. */
	intervalMs?: number;
	/** How long the code stays payable. Default ten minutes, as the page says. */
	validForMs?: number;
	/** Renderings attached to `created`. Default PNG only. */
	render?: readonly QrFormat[];
	signal?: AbortSignal;
	onEvent(event: QrPayEvent): void;
	/** A poll failed but watching goes on. */
	onPollError?(error: Error): void;
	now?: () => number;
}

/** Resolves with the terminal event (`paid`, `expired`, `failed`), or undefined when aborted. */
export async function watchQrPay(
	api: ChargeApi,
	options: QrPayWatchOptions,
): Promise<QrPayEvent | undefined> {
	const now = own(options, 'now') ?? Date.now;
	const signal = own(options, 'signal');
	const interval = optionalInteger(
		'intervalMs',
		own(options, 'intervalMs'),
		2000,
		MIN_POLL_MS,
		MAX_POLL_MS,
	);
	const validFor = optionalInteger(
		'validForMs',
		own(options, 'validForMs'),
		QR_PAY_VALID_MS,
		MIN_VALID_MS,
		QR_PAY_VALID_MS,
	);
	const stamp = () => new Date(now()).toISOString();
	const finish = (event: QrPayEvent) => {
		options.onEvent(event);
		return event;
	};

	const gate = own(options, 'gate') ?? new FailureGate(now);
	let code = own(options, 'code');
	// When the code began to be payable: the moment it was created, before the slow PNG rendering.
	let createdAt = code ? Date.parse(code.expires_at) - QR_PAY_VALID_MS : now();
	if (!code) {
		try {
			await api.sleep(gate.waitMs(), signal);
		} catch {
			return undefined;
		}
		try {
			code = await api.createQrPay(options.charge, signal);
			createdAt = now();
			gate.succeeded();
		} catch (err) {
			// Stopped while creating: nothing to report unless the code may exist (and may use the balance).
			if (signal?.aborted && !(err instanceof BilibiliOutcomeUnknownError)) return undefined;
			if (!signal?.aborted) gate.failed(err as Error);
			return finish({ type: 'failed', at: stamp(), error: err as Error });
		}
	}
	let rendered: RenderedQr;
	try {
		rendered = await renderQrCode(code.qr_code_url, options.render ?? ['png']);
	} catch (err) {
		return finish({ type: 'failed', at: stamp(), error: err as Error });
	}
	if (Number.isNaN(createdAt)) createdAt = now();
	const deadline = createdAt + validFor;
	const base = {
		qr_token: code.qr_token,
		qr_code_url: code.qr_code_url,
		expires_at: new Date(deadline).toISOString(),
	};
	options.onEvent({
		type: 'created',
		at: new Date(createdAt).toISOString(),
		...base,
		exp: code.exp,
		...rendered,
	});

	// A fan who scanned may still be confirming in the app when the code's time runs out: keep looking
	// a little longer, so a payment made at the last moment is reported paid, not expired.
	const graceMs = Math.min(SCANNED_GRACE_MS, validFor);
	let scanned = false;
	let lateFailures = 0;
	// Whether a look at (or after) the deadline was made: until then the next look is due at the
	// deadline at the latest, scanned or not, so a payment made just before it is seen there.
	let pastDeadline = false;
	for (;;) {
		const limit = scanned ? deadline + graceMs : deadline;
		const stop = pastDeadline ? limit : deadline;
		// While polls keep failing, the gate's backoff stretches the interval.
		const wait = Math.max(interval, gate.waitMs());
		const left = stop - now();
		try {
			await api.sleep(left > 0 ? Math.min(wait, left) : wait, signal);
		} catch {
			return undefined;
		}
		// A look at (or after) the limit is the last one; it is always made, even if the timer fired a
		// millisecond early by the wall clock.
		const atStop = wait >= left || now() >= stop;
		const last = atStop && stop === limit;
		if (atStop) pastDeadline = true;
		let state;
		try {
			state = await api.getQrPayStatus(code.qr_token, signal);
			gate.succeeded();
		} catch (err) {
			if (signal?.aborted) return undefined;
			gate.failed(err as Error);
			// A passing failure at the last look is tried again a few times: "expired" must be seen, not assumed.
			if (watcherMayPollPast(err) && (!last || ++lateFailures < LAST_LOOK_TRIES)) {
				options.onPollError?.(err);
				continue;
			}
			return finish({ type: 'failed', at: stamp(), ...base, error: err as Error });
		}
		if (state.state === 'paid')
			return finish({ type: 'paid', at: stamp(), ...base, order_no: state.order_no });
		if (state.state === 'invalid_or_expired')
			return finish({ type: 'expired', at: stamp(), ...base });
		if (state.state === 'scanned' && !scanned) {
			scanned = true;
			options.onEvent({ type: 'scanned', at: stamp(), ...base });
			if (now() < deadline + graceMs) continue;
		}
		if (last) return finish({ type: 'expired', at: stamp(), ...base });
	}
}

export interface QrPaymentWaitOptions {
	/** Time between status polls. Default 3000 ms. */
	intervalMs?: number;
	/** Give up after this long. Default ten minutes, the life of a code. */
	timeoutMs?: number;
	signal?: AbortSignal;
	onPollError?(error: Error): void;
	now?: () => number;
}

export interface QrPaymentOutcome {
	qr_token: string;
	/** `paid`; `expired` (Bilibili no longer knows the token); `timeout` (still unpaid when waiting ended). */
	state: 'paid' | 'expired' | 'timeout';
	order_no?: string;
	/** Whether a scan was seen while waiting. */
	scanned: boolean;
}

/** Polls an existing QR code until it is paid, expires, or the wait times out. */
export async function waitForQrPayment(
	api: ChargeApi,
	qr_token: string,
	options: QrPaymentWaitOptions = {},
): Promise<QrPaymentOutcome> {
	const now = own(options, 'now') ?? Date.now;
	const interval = optionalInteger(
		'intervalMs',
		own(options, 'intervalMs'),
		3000,
		MIN_POLL_MS,
		MAX_POLL_MS,
	);
	const deadline =
		now() +
		optionalInteger('timeoutMs', own(options, 'timeoutMs'), QR_PAY_VALID_MS, 0, 24 * 60 * 60_000);
	const gate = new FailureGate(now);
	let scanned = false;
	for (;;) {
		const status = await api.getQrPayStatus(qr_token, options.signal).catch((err: unknown) => {
			if (!watcherMayPollPast(err) || options.signal?.aborted) throw err;
			gate.failed(err);
			options.onPollError?.(err);
			return undefined;
		});
		if (status) {
			gate.succeeded();
			if (status.state === 'paid')
				return { qr_token, state: 'paid', order_no: status.order_no, scanned };
			if (status.state === 'invalid_or_expired') return { qr_token, state: 'expired', scanned };
			scanned ||= status.state === 'scanned';
		}
		const left = deadline - now();
		if (left <= 0) return { qr_token, state: 'timeout', scanned };
		await api.sleep(Math.min(Math.max(interval, gate.waitMs()), left), options.signal);
	}
}
