import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { executeOperations, operationProperty, operationSubtitle } from '../shared/execute';
import { REMARK_OPERATIONS, REMARK_PROPERTIES } from './operations';

export class BilibiliRemark implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bilibili Remark',
		name: 'bilibiliRemark',
		icon: { light: 'file:../../icons/bilibili.svg', dark: 'file:../../icons/bilibili.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(REMARK_OPERATIONS),
		description: 'Charge remarks you received as a creator: list, get with sender details, reply',
		defaults: { name: 'Bilibili Remark' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bilibiliApi', required: true }],
		properties: [
			operationProperty(REMARK_OPERATIONS, 'getMany'),
			...REMARK_PROPERTIES,
		],
	};


	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, REMARK_OPERATIONS);
	}
}
