/** The Account node's operations: what each does and which client call answers it. */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';
import type { OperationEntry } from '../../shared/execute';
import type { BilibiliClient } from '../../../client';
import { CREDENTIAL_NAME } from '../../shared/client';
import { sendOnce } from '../../shared/writeMemo';
import { askRenewal, loginKey, takeOutcome } from '../../shared/sessionRenewal';
import type { N8nOperation } from '../../../client/operations';

const read = (call: (c: BilibiliClient, signal?: AbortSignal) => Promise<object>) =>
	async function (this: IExecuteFunctions, client: BilibiliClient) {
		return (await call(client, this.getExecutionCancelSignal())) as IDataObject;
	};

/** One entry per operation of the client's `account` area (client/operations.ts), under n8n's saved names. */
export const ACCOUNT_OPERATIONS: Record<N8nOperation<'account'>, OperationEntry> = {
	getProfile: {
		name: 'Get Profile',
		value: 'getProfile',
		description: 'Nickname, signature, birthday, sex and member rank',
		action: 'Get the account profile',
		run: read((c, signal) => c.account.getProfile(signal)),
	},
	getDailyExpTasks: {
		name: 'Get Daily Exp Tasks',
		value: 'getDailyExpTasks',
		description: 'Which daily exp tasks are done: login, watch, share, coins',
		action: 'Get the daily exp tasks',
		run: read((c, signal) => c.account.getDailyExpTasks(signal)),
	},
	getTodayCoinExp: {
		name: "Get Today's Coin Exp",
		value: 'getTodayCoinExp',
		description:
			'Exp earned by giving coins today, real time. Needs DedeUserID in the credentials.',
		action: "Get today's coin exp",
		run: read((c, signal) => c.account.getTodayCoinExp(signal)),
	},
	getVipInfo: {
		name: 'Get VIP Info',
		value: 'getVipInfo',
		description: 'Premium membership (Big Member) type, status and due date',
		action: 'Get the VIP info',
		run: read((c, signal) => c.account.getVipInfo(signal)),
	},
	getSecurityInfo: {
		name: 'Get Security Info',
		value: 'getSecurityInfo',
		description:
			'Bound phone and mail, password strength, linked accounts. Needs DedeUserID in the credentials.',
		action: 'Get the security info',
		run: read((c, signal) => c.account.getSecurityInfo(signal)),
	},
	getRealnameStatus: {
		name: 'Get Real-Name Status',
		value: 'getRealnameStatus',
		description: 'Whether the account is real-name verified',
		action: 'Get the real name status',
		run: read((c, signal) => c.account.getRealnameStatus(signal)),
	},
	getRealnameDetails: {
		name: 'Get Real-Name Details',
		value: 'getRealnameDetails',
		description: 'Masked name, masked ID number and ID type of the verification',
		action: 'Get the real name details',
		run: read((c, signal) => c.account.getRealnameDetails(signal)),
	},
	getCoinLog: {
		name: 'Get Coin Log',
		value: 'getCoinLog',
		description: 'Coin income and spending of the last seven days, one item per entry',
		action: 'Get the coin log',
		async run(client) {
			const log = await client.account.getCoinLog(this.getExecutionCancelSignal());
			return log.list as unknown as IDataObject[];
		},
	},
	updateSignature: {
		name: 'Update Signature',
		value: 'updateSignature',
		description:
			'Set the signature, at most 70 characters; empty clears it. Bilibili applies it after review.',
		action: 'Update the signature',
		async run(client, itemIndex) {
			const signature = this.getNodeParameter('signature', itemIndex, '') as string;
			await sendOnce(this, itemIndex, () =>
				client.account.updateSignature(signature, this.getExecutionCancelSignal()),
			);
			return { success: true, user_sign: signature };
		},
	},
	refreshSession: {
		name: 'Refresh Session',
		value: 'refreshSession',
		description:
			'Check now whether Bilibili asks for a refresh and, if so, renew the login stored in the credential; outputs whether and when',
		action: 'Refresh the login session',
		async run(client, itemIndex) {
			if (this.getNode().type.endsWith('Tool'))
				throw new NodeOperationError(
					this.getNode(),
					'Refresh Session is not available to an AI Agent: it renews your login',
					{ itemIndex },
				);
			// One login, one refresh token: a second item would find it spent. Refused before anything is sent.
			const count = this.getInputData().length;
			if (count > 1)
				throw new NodeOperationError(
					this.getNode(),
					`Refresh Session takes one input item, got ${count}: nothing was sent`,
					{
						itemIndex,
						description:
							'It renews the one login of the credential. Put an aggregate or a Limit (1) before it, or run it from a Schedule Trigger.',
					},
				);
			// From the credential, which n8n encrypts: never a node parameter, which workflows export.
			const data = await this.getCredentials(CREDENTIAL_NAME, itemIndex);
			const text = (key: string) =>
				Object.hasOwn(data, key) ? String(data[key] ?? '').trim() : '';
			if (!text('refreshToken'))
				throw new NodeOperationError(
					this.getNode(),
					'No Refresh Token in the Bilibili API credential: paste the refresh_token bilibili-login printed',
					{ itemIndex },
				);
			const options = this.getNodeParameter('refreshOptions', itemIndex, {}) as IDataObject;
			// The credential renews itself (its preAuthentication, which n8n runs before the request below
			// and whose result n8n stores): this asks it to check now rather than once a day.
			const key = await loginKey(text('SESSDATA'));
			let outcome;
			// A renewal waiting for its confirm takes the first request; the check then runs on the second.
			for (let attempt = 0; attempt < 2 && !outcome; attempt++) {
				askRenewal(key, {
					force: options.force === true,
					publicKey:
						typeof options.publicKey === 'string' && options.publicKey
							? options.publicKey
							: undefined,
				});
				await client.account.getProfile(this.getExecutionCancelSignal());
				outcome = takeOutcome(key);
			}
			if (!outcome)
				throw new NodeOperationError(
					this.getNode(),
					'The session check did not run: this n8n did not call the credential before the request',
					{ itemIndex },
				);
			if (outcome.error)
				throw new NodeOperationError(
					this.getNode(),
					`The session was not renewed: ${outcome.error}`,
					{ itemIndex },
				);
			const at = new Date(outcome.at).toISOString();
			return outcome.refreshed
				? { refreshed: true, refreshedAt: at }
				: { refreshed: false, checkedAt: at };
		},
	},
};

export const ACCOUNT_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Signature',
		name: 'signature',
		type: 'string',
		default: '',
		description: 'The new signature, at most 70 characters. Empty clears it.',
		displayOptions: { show: { operation: ['updateSignature'] } },
	},
	{
		displayName:
			'The credential renews its login by itself once a day when Bilibili asks; this checks now. The renewed login is stored in the credential (never in the output), and the old session is ended on the next request. Needs the Refresh Token in the credential; takes one input item.',
		name: 'refreshNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['refreshSession'] } },
	},
	{
		displayName: 'Options',
		name: 'refreshOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['refreshSession'] } },
		options: [
			{
				displayName: 'Even If Not Due',
				name: 'force',
				type: 'boolean',
				default: false,
				description: 'Whether to refresh even when Bilibili does not ask for it',
			},
			{
				displayName: 'Public Key (PEM)',
				name: 'publicKey',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: "Only for a test double with its own key; empty uses Bilibili's",
			},
		],
	},
];
