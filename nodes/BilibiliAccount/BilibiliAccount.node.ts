import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { executeOperations, operationProperty, operationSubtitle } from '../shared/execute';
import { ACCOUNT_OPERATIONS } from './operations';

export class BilibiliAccount implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bilibili Account',
		name: 'bilibiliAccount',
		icon: { light: 'file:../../icons/bilibili.svg', dark: 'file:../../icons/bilibili.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: operationSubtitle(ACCOUNT_OPERATIONS),
		description: 'Read your Bilibili account: profile, exp, VIP, security, real-name, coin log; update the signature',
		defaults: { name: 'Bilibili Account' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bilibiliApi', required: true }],
		properties: [
			operationProperty(ACCOUNT_OPERATIONS, 'getProfile'),
			{
				displayName: 'Signature',
				name: 'signature',
				type: 'string',
				default: '',
				description: 'The new signature, at most 70 characters. Empty clears it.',
				displayOptions: { show: { operation: ['updateSignature'] } },
			},
		],
	};


	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, ACCOUNT_OPERATIONS);
	}
}
