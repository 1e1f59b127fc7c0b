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
				'Read your Bilibili account: profile, exp, VIP, security, real-name, coin log; update the signature',
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
			],
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, ACCOUNT_OPERATIONS);
	}
}
