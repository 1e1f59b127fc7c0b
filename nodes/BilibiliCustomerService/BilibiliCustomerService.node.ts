import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { actionNodeDescription } from '../shared/description';
import { executeOperations, operationSubtitle } from '../shared/execute';
import { CUSTOMER_SERVICE_OPERATIONS, CUSTOMER_SERVICE_PROPERTIES } from './operations';

export class BilibiliCustomerService implements INodeType {
	description: INodeTypeDescription = {
		// Written here, not in the helper: n8n's linter reads these from the node's own description.
		icon: { light: 'file:../../icons/bilibili.svg', dark: 'file:../../icons/bilibili.dark.svg' },
		subtitle: operationSubtitle(CUSTOMER_SERVICE_OPERATIONS),
		usableAsTool: true,
		...actionNodeDescription({
			displayName: 'Bilibili Customer Service',
			name: 'bilibiliCustomerService',
			group: 'output',
			description: 'Bilibili customer service: session heartbeat and file upload',
			operations: CUSTOMER_SERVICE_OPERATIONS,
			defaultOperation: 'uploadFile',
			properties: CUSTOMER_SERVICE_PROPERTIES,
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, CUSTOMER_SERVICE_OPERATIONS);
	}
}
