import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { actionNodeDescription } from '../shared/description';
import { executeOperations, operationSubtitle } from '../shared/execute';
import { ACCOUNT_OPERATIONS } from './operations';

export class BilibiliAccount implements INodeType {
	description: INodeTypeDescription = {
		// Written here, not in the helper: n8n's linter reads these from the node's own description.
		icon: { light: 'file:../../icons/bilibili.svg', dark: 'file:../../icons/bilibili.dark.svg' },
		subtitle: operationSubtitle(ACCOUNT_OPERATIONS),
		usableAsTool: true,
		...actionNodeDescription({
			displayName: 'Bilibili Account',
			name: 'bilibiliAccount',
			group: 'input',
			description:
				'Read your Bilibili account: profile, exp, VIP, security, real-name, coin log; update the signature; refresh the session',
			operations: ACCOUNT_OPERATIONS,
			defaultOperation: 'getProfile',
			properties: [
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
						'Uses the Refresh Token of the Bilibili API credential. The output holds the new SESSDATA, bili_jct and refresh_token: secrets. Copy all three into the credential (n8n cannot do it for you; the old ones keep working meanwhile), and do not send them anywhere else.',
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
			],
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, ACCOUNT_OPERATIONS);
	}
}
