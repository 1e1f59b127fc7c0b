import {
	type IDataObject,
	type INodeExecutionData,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';
import {
	BilibiliApiError,
	CHARGE_ENDPOINTS,
	renderQrCode,
	triggerGate,
	type QrPayCode,
	type QrPayEvent,
} from '../../../client';
import { chargeFields, chargeParams } from '../../BilibiliCharge/v1/properties';
import { clientFor } from '../../shared/client';
import { durationMs, POLL_SECONDS } from '../../shared/durations';
import { triggerVersion } from '../../shared/description';
import { explainLoggedOut, toNodeError } from '../../shared/errors';

/**
 * Keeps a charge QR code available while the workflow is active and starts an execution on each chosen
 * event. Closing the workflow aborts the watch: no timer or request is left behind.
 *
 * typeVersion 1. Checked as a node type where the entry file hands it to versioned(); it has no
 * `implements INodeType`, because n8n's linter would then look for a literal description with an icon,
 * and a version's description starts from the entry's (icon included).
 */
export class BilibiliQrPayTriggerV1 {
	description: INodeTypeDescription;

	constructor(base: INodeTypeBaseDescription) {
		this.description = {
			subtitle: '={{$parameter["events"].join(", ")}}',
			...triggerVersion(base, {
				version: 1,
				properties: [
					{
						displayName: 'Events',
						name: 'events',
						type: 'multiOptions',
						required: true,
						options: [
							{
								name: 'Created',
								value: 'created',
								description: 'A new code is ready; the PNG is in the binary field "qr"',
							},
							{
								name: 'Scanned',
								value: 'scanned',
								description: 'A fan scanned the code but has not paid yet',
							},
							{
								name: 'Paid',
								value: 'paid',
								description: 'The charge was paid; order_no can carry a charge message',
							},
							{
								name: 'Expired',
								value: 'expired',
								description: 'Ten minutes passed without payment',
							},
						],
						default: ['created', 'paid'],
					},
					...chargeFields(),
					{
						displayName: 'Renew After Paid or Expired',
						name: 'renew',
						type: 'boolean',
						default: true,
						description:
							'Whether to create a new code as soon as the current one is paid or expires, so one is always available',
					},
					{
						displayName: 'Poll Interval (Seconds)',
						name: 'pollInterval',
						type: 'number',
						typeOptions: { minValue: POLL_SECONDS.min, maxValue: POLL_SECONDS.max },
						default: 3,
						description:
							'Time between two status checks of the current code, 1 to 600 seconds (longer while checks keep failing)',
					},
				],
			}),
		};
	}

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const events = this.getNodeParameter('events', []) as string[];
		const renew = this.getNodeParameter('renew', true) as boolean;
		let intervalMs: number;
		try {
			// Checked here, in the field's own unit, so activation fails with the field's name.
			intervalMs = durationMs(
				this.getNodeParameter('pollInterval', 3),
				'Poll Interval (Seconds)',
				'seconds',
				POLL_SECONDS.min,
				POLL_SECONDS.max,
			);
		} catch (err) {
			throw toNodeError(this.getNode(), err, 0);
		}
		const charge = chargeParams((name) => this.getNodeParameter(name));
		// No quick retries inside a call: the trigger retries on its own, spaced by its gate.
		const client = await clientFor(this, { retry: { retries: 0 } });

		const toItem = async (event: QrPayEvent): Promise<INodeExecutionData> => {
			// The PNG goes out as binary data; the other renderings and the Error object stay out of the JSON.
			const json: IDataObject = {};
			for (const [key, value] of Object.entries(event))
				if (!['png', 'svg', 'terminal', 'error'].includes(key)) json[key] = value;
			const png = event.png;
			const item: INodeExecutionData = { json };
			if (png)
				item.binary = {
					qr: await this.helpers.prepareBinaryData(
						png,
						`bilibili-charge-${event.qr_token}.png`,
						'image/png',
					),
				};
			return item;
		};

		if (this.getMode() === 'manual') {
			// "Test workflow": one code, announced as `created`, so the next nodes can be built.
			return {
				manualTriggerFunction: async () => {
					const code = await client.charge.createQrPay(charge);
					const { png } = await renderQrCode(code.qr_code_url, ['png']);
					this.emit([
						[await toItem({ type: 'created', at: new Date().toISOString(), ...code, png })],
					]);
				},
				closeFunction: async () => client.close(),
			};
		}

		// One gate per workflow, node and account for the life of the process, so a failing trigger stays
		// spaced out even though n8n re-activates it after every error.
		const gate = triggerGate(
			`n8n:qrpay:${this.getWorkflow().id}:${this.getNode().id}:${client.accountKey}`,
		);
		let first: QrPayCode;
		try {
			// Activation fails when no code can be created: the user sees why, and nothing loops.
			first = await gate.run(CHARGE_ENDPOINTS.createQrPay.name, () =>
				client.charge.createQrPay(charge),
			);
		} catch (err) {
			client.close();
			throw toNodeError(this.getNode(), await explainLoggedOut(this, err), 0);
		}

		const controller = new AbortController();
		// Events are emitted in the order seen, even though preparing the PNG is asynchronous.
		let emitted = Promise.resolve();
		const onEvent = (event: QrPayEvent) => {
			if (!events.includes(event.type)) return;
			emitted = emitted
				.then(async () => this.emit([[await toItem(event)]]))
				.catch((err) => this.emitError(err as Error));
		};
		const watching = (async () => {
			let code: QrPayCode | undefined = first;
			for (;;) {
				const final = await client.watchQrPay({
					charge,
					code,
					gate,
					intervalMs,
					signal: controller.signal,
					onEvent,
				});
				code = undefined;
				if (!final || controller.signal.aborted) return;
				if (final.type === 'failed') {
					// A passing failure (risk control, a gateway page) is waited out by the gate; anything else is the user's to fix.
					if (final.error instanceof BilibiliApiError && final.error.retryable) continue;
					this.emitError(toNodeError(this.getNode(), final.error, 0));
					return;
				}
				if (!renew) return;
			}
		})().catch((err: unknown) => {
			// Whatever stops the watch reaches n8n (the workflow shows it), never an unhandled rejection.
			if (!controller.signal.aborted) this.emitError(toNodeError(this.getNode(), err, 0));
		});

		return {
			closeFunction: async () => {
				controller.abort();
				await watching.catch(() => undefined);
				await emitted;
				client.close();
			},
		};
	}
}
