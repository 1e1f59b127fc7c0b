import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { actionNodeDescription } from '../shared/description';
import { executeOperations, operationSubtitle } from '../shared/execute';
import { REMARK_OPERATIONS, REMARK_PROPERTIES } from './operations';

export class BilibiliRemark implements INodeType {
	description: INodeTypeDescription = {
		// Written here, not in the helper: n8n's linter reads these from the node's own description.
		icon: { light: 'file:../../icons/bilibili.svg', dark: 'file:../../icons/bilibili.dark.svg' },
		subtitle: operationSubtitle(REMARK_OPERATIONS),
		usableAsTool: true,
		...actionNodeDescription({
			displayName: 'Bilibili Remark',
			name: 'bilibiliRemark',
			group: 'transform',
			description: 'Charge remarks you received as a creator: list, get with sender details, reply',
			operations: REMARK_OPERATIONS,
			defaultOperation: 'getMany',
			properties: REMARK_PROPERTIES,
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, REMARK_OPERATIONS);
	}
}
