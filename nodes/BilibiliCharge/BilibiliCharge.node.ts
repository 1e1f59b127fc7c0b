import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { executeOperations, operationProperty, operationSubtitle } from '../shared/execute';
import { CHARGE_OPERATIONS } from './operations';
import { CHARGE_PROPERTIES } from './properties';

export class BilibiliCharge implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bilibili Charge',
		name: 'bilibiliCharge',
		icon: { light: 'file:../../icons/bilibili.svg', dark: 'file:../../icons/bilibili.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(CHARGE_OPERATIONS),
		description: 'Charge a creator (UP) with B-coins or a QR code, and leave a charge message',
		defaults: { name: 'Bilibili Charge' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bilibiliApi', required: true }],
		properties: [operationProperty(CHARGE_OPERATIONS, 'chargeWithBcoin'), ...CHARGE_PROPERTIES],
	};


	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, CHARGE_OPERATIONS);
	}
}
