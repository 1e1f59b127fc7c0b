import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { executeOperations, operationProperty, operationSubtitle } from '../shared/execute';
import { CUSTOMER_SERVICE_OPERATIONS, CUSTOMER_SERVICE_PROPERTIES } from './operations';

export class BilibiliCustomerService implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bilibili Customer Service',
		name: 'bilibiliCustomerService',
		icon: { light: 'file:../../icons/bilibili.svg', dark: 'file:../../icons/bilibili.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(CUSTOMER_SERVICE_OPERATIONS),
		description: 'Bilibili customer service: session heartbeat and file upload',
		defaults: { name: 'Bilibili Customer Service' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bilibiliApi', required: true }],
		properties: [operationProperty(CUSTOMER_SERVICE_OPERATIONS, 'uploadFile'), ...CUSTOMER_SERVICE_PROPERTIES],
	};


	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, CUSTOMER_SERVICE_OPERATIONS);
	}
}
