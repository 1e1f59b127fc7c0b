import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { actionNodeDescription } from '../shared/description';
import { executeOperations, operationSubtitle } from '../shared/execute';
import { CHARGE_OPERATIONS } from './operations';
import { CHARGE_PROPERTIES } from './properties';

export class BilibiliCharge implements INodeType {
	description: INodeTypeDescription = {
		// Written here, not in the helper: n8n's linter reads these from the node's own description.
		icon: { light: 'file:../../icons/bilibili.svg', dark: 'file:../../icons/bilibili.dark.svg' },
		subtitle: operationSubtitle(CHARGE_OPERATIONS),
		usableAsTool: true,
		...actionNodeDescription({
			displayName: 'Bilibili Charge',
			name: 'bilibiliCharge',
			group: 'output',
			description: 'Charge a creator (UP) with B-coins or a QR code, and leave a charge message',
			operations: CHARGE_OPERATIONS,
			defaultOperation: 'chargeWithBcoin',
			properties: CHARGE_PROPERTIES,
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, CHARGE_OPERATIONS);
	}
}
