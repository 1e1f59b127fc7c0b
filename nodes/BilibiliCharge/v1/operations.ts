/** The Charge node's operations (充电). */
import type { IDataObject } from 'n8n-workflow';
import { chargeForm, renderQrCode, waitForQrPayment } from '../../../client';
import { durationMs, POLL_SECONDS, WAIT_MINUTES } from '../../shared/durations';
import type { OperationEntry } from '../../shared/execute';
import { chargeOnce, sendOnce, type ChargeIdentity } from '../../shared/writeMemo';
import { chargeParams } from './properties';
import type { N8nOperation } from '../../../client/operations';

/** One entry per operation of the client's `charge` area (client/operations.ts), under n8n's saved names. */
export const CHARGE_OPERATIONS: Record<N8nOperation<'charge'>, OperationEntry> = {
	chargeWithBcoin: {
		name: 'Charge With B-Coins',
		value: 'chargeWithBcoin',
		description: 'Charge a creator (UP) from your B-coin balance. Spends B-coins; never retried.',
		action: 'Charge with B-coins',
		spent: (result) => {
			const r = result as IDataObject;
			return `${String(r.bp_num)} B-coins to UP ${String(r.up_mid)}, order_no ${String(r.order_no)}`;
		},
		async run(client, i) {
			const params = chargeParams((name) => this.getNodeParameter(name, i));
			const form = chargeForm(params);
			// Not cancelled by Stop once started: a charge in flight is left to finish so its outcome is known.
			const result = await sendOnce(this, i, () =>
				chargeOnce(this, client.accountKey, identity(form), () =>
					client.charge.chargeWithBcoin(params),
				),
			);
			return result as unknown as IDataObject;
		},
	},
	createQrPay: {
		name: 'Create QR Pay Code',
		value: 'createQrPay',
		description:
			'A QR code (valid 10 minutes) a fan pays with Alipay or WeChat; PNG in a binary field',
		action: 'Create a QR pay code',
		async run(client, i) {
			// Everything that could fail is read before the code is made: a retry must not make a second one.
			const params = chargeParams((name) => this.getNodeParameter(name, i));
			const form = chargeForm(params, false);
			const field = this.getNodeParameter('binaryPropertyName', i) as string;
			// Stop ends a plain code at once; one that may use the balance is left to finish, like a charge.
			const create = () =>
				client.charge.createQrPay(
					params,
					form.is_bp_remains_prior ? undefined : this.getExecutionCancelSignal(),
				);
			// A second code would be a second payment request shown to a fan: made once per node run.
			const code = await sendOnce(this, i, () =>
				form.is_bp_remains_prior
					? chargeOnce(this, client.accountKey, identity(form), create)
					: create(),
			);
			const { png } = await renderQrCode(code.qr_code_url, ['png']);
			return {
				json: code as unknown as IDataObject,
				binary: {
					[field]: await this.helpers.prepareBinaryData(
						png!,
						`bilibili-charge-${code.qr_token}.png`,
						'image/png',
					),
				},
			};
		},
	},
	getQrPayStatus: {
		name: 'Get QR Pay Status',
		value: 'getQrPayStatus',
		description:
			'One look at a QR code: not_scanned, scanned, paid (with order_no) or invalid_or_expired',
		action: 'Get a QR pay status',
		async run(client, i) {
			return (await client.charge.getQrPayStatus(
				this.getNodeParameter('qrToken', i) as string,
				this.getExecutionCancelSignal(),
			)) as unknown as IDataObject;
		},
	},
	waitForQrPayment: {
		name: 'Wait for QR Payment',
		value: 'waitForQrPayment',
		description:
			'Poll a QR code until it is paid, expires or the timeout passes; outputs the final state and order_no',
		action: 'Wait for a QR payment',
		async run(client, i) {
			const outcome = await waitForQrPayment(
				client.charge,
				this.getNodeParameter('qrToken', i) as string,
				{
					intervalMs: durationMs(
						this.getNodeParameter('pollInterval', i),
						'Poll Interval (Seconds)',
						'seconds',
						POLL_SECONDS.min,
						POLL_SECONDS.max,
					),
					timeoutMs: durationMs(
						this.getNodeParameter('timeoutMinutes', i),
						'Timeout (Minutes)',
						'minutes',
						WAIT_MINUTES.min,
						WAIT_MINUTES.max,
					),
					// Stop (and a workflow timeout) end the wait at once instead of polling on to its own timeout.
					signal: this.getExecutionCancelSignal(),
				},
			);
			return outcome as unknown as IDataObject;
		},
	},
	sendChargeMessage: {
		name: 'Send Charge Message',
		value: 'sendChargeMessage',
		description: 'Leave the one message a charge order may carry',
		action: 'Send a charge message',
		async run(client, i) {
			const order_no = this.getNodeParameter('orderNo', i) as string;
			const message = this.getNodeParameter('message', i) as string;
			await sendOnce(this, i, () =>
				client.charge.sendChargeMessage({ order_no, message }, this.getExecutionCancelSignal()),
			);
			return { success: true, order_no, message };
		},
	},
};

/** A checked charge form as the memo compares charges (the balance flag is how, not what). */
function identity(form: ReturnType<typeof chargeForm>): ChargeIdentity {
	return { up_mid: form.up_mid, bp_num: form.bp_num, otype: form.otype, oid: form.oid };
}
