/** The Charge node's parameters, shown per operation. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { ChargeParams } from '../../../client';
import { POLL_SECONDS, WAIT_MINUTES } from '../../shared/durations';

const CHARGE_OPS = ['chargeWithBcoin', 'createQrPay'];

export const CHARGE_PROPERTIES: INodeProperties[] = [
	{
		displayName:
			"Charging spends real B-coins. The node never retries a charge: if Bilibili's answer is lost, it reports the outcome as unknown so you can check your charge history first. A risk-control refusal (-412, -352, HTTP 412) charged nothing. The credential's spending guard refuses charges above its limits (default 50 per charge, 200 per 24 hours) and, if set, any that would leave less than its minimum balance.",
		name: 'moneyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['chargeWithBcoin'] } },
	},
	...chargeFields(CHARGE_OPS),
	{
		displayName: 'Put QR Image in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'qr',
		description: 'Name of the binary field the QR code PNG is written to',
		displayOptions: { show: { operation: ['createQrPay'] } },
	},
	{
		displayName: 'QR Token',
		name: 'qrToken',
		type: 'string',
		// Whoever has the token can follow the payment; masked like any other token.
		typeOptions: { password: true },
		required: true,
		default: '',
		description: 'The qr_token from Create QR Pay Code',
		displayOptions: { show: { operation: ['getQrPayStatus', 'waitForQrPayment'] } },
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: POLL_SECONDS.min, maxValue: POLL_SECONDS.max },
		default: 3,
		description: 'Time between two status checks, 1 to 600 seconds',
		displayOptions: { show: { operation: ['waitForQrPayment'] } },
	},
	{
		displayName: 'Timeout (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: WAIT_MINUTES.max },
		default: 10,
		description:
			'Stop waiting after this long (0 to 1440 minutes) and output state "timeout". A code is valid for 10 minutes.',
		displayOptions: { show: { operation: ['waitForQrPayment'] } },
	},
	{
		displayName: 'Order No',
		name: 'orderNo',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'BPRG5CEC3VUPOOANA540',
		description: 'The order_no of a charge, from Charge With B-Coins or a paid QR code',
		displayOptions: { show: { operation: ['sendChargeMessage'] } },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		placeholder: 'Keep up the great work!',
		description: 'The charge message. Only one message per order.',
		displayOptions: { show: { operation: ['sendChargeMessage'] } },
	},
];

/** Who to charge and how much; shown for the given operations, or always (the trigger). */
export function chargeFields(operations?: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Creator (UP) Mid',
			name: 'upMid',
			type: 'string',
			required: true,
			default: '',
			placeholder: '293793435',
			description: 'The user ID (mid) of the creator (UP) to charge',
			...shown(operations),
		},
		{
			displayName: 'Source',
			name: 'source',
			type: 'options',
			options: [
				{ name: 'Space', value: 'up', description: "Charge from the creator's space page" },
				{ name: 'Video', value: 'archive', description: 'Charge from one of their videos' },
			],
			default: 'up',
			description: 'Where the charge comes from (otype)',
			...shown(operations),
		},
		{
			displayName: 'Video Avid',
			name: 'oid',
			type: 'string',
			required: true,
			default: '',
			placeholder: '170001',
			description: "The video's avid (oid)",
			displayOptions: { show: { ...shown(operations).displayOptions?.show, source: ['archive'] } },
		},
		{
			displayName: 'Amount (B-Coins)',
			name: 'amount',
			type: 'number',
			typeOptions: { minValue: 2, maxValue: 9999 },
			default: 2,
			description: 'B-coins (bp_num) to charge, from 2 to 9999. 1 B-coin gives 1 exp.',
			...shown(operations),
		},
		// Two fields of one name: a B-coin charge spends the balance by default, a QR code only when asked
		// (n8n saves only values that differ from the default, so a QR node left at the old default of
		// true no longer draws on the balance).
		...(operations?.includes('chargeWithBcoin')
			? [
					{
						displayName: 'Prefer B-Coin Balance',
						name: 'preferBalance',
						type: 'boolean',
						default: true,
						description: 'Whether to spend the B-coin balance first (is_bp_remains_prior)',
						...shown(['chargeWithBcoin']),
					} satisfies INodeProperties,
				]
			: []),
		{
			displayName: 'Use My B-Coin Balance',
			name: 'preferBalance',
			type: 'boolean',
			default: false,
			description:
				"Whether the code may spend this account's B-coin balance first (is_bp_remains_prior); the fan pays the rest with Alipay or WeChat. When on, the spending guard counts the amount.",
			...shown(operations?.filter((op) => op !== 'chargeWithBcoin')),
		},
	];
}

function shown(operations?: string[]): Pick<INodeProperties, 'displayOptions'> {
	return operations ? { displayOptions: { show: { operation: operations } } } : {};
}

/** The charge parameters as the user set them, passed to the client as given: it validates them. */
export function chargeParams(get: (name: string) => unknown): ChargeParams {
	const source = get('source') as ChargeParams['otype'];
	const p: IDataObject = {
		up_mid: get('upMid') as string,
		bp_num: get('amount') as number,
		otype: source,
		is_bp_remains_prior: get('preferBalance') as boolean,
	};
	if (source === 'archive') p.oid = get('oid') as string;
	return p as unknown as ChargeParams;
}
