/**
 * The per-item loop every action node shares: one client per execution, each item with its own
 * parameters, pairedItem on every output item, Continue On Fail honoured.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';
import type { BilibiliClient } from '../../client';
import { clientFor } from './client';
import { errorJson, toNodeError } from './errors';

export type ItemResult = IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[];

export type Operation = (this: IExecuteFunctions, client: BilibiliClient, itemIndex: number) => Promise<ItemResult>;

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return typeof value === 'object' && value !== null && 'json' in value && typeof value.json === 'object';
}

export async function executePerItem(ctx: IExecuteFunctions, pick: (itemIndex: number) => Operation): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	const client = await clientFor(ctx);
	const cancelled = ctx.getExecutionCancelSignal();
	try {
		for (let i = 0; i < items.length; i++) {
			// A stopped or timed-out execution sends nothing more, not even for the items left.
			if (cancelled?.aborted) throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled', { itemIndex: i });
			try {
				const result = await pick(i).call(ctx, client, i);
				for (const entry of Array.isArray(result) ? result : [result]) {
					const item = isExecutionData(entry) ? entry : { json: entry };
					out.push({ ...item, pairedItem: { item: i } });
				}
			} catch (err) {
				if (ctx.continueOnFail() && !cancelled?.aborted) {
					out.push({ json: errorJson(err), pairedItem: { item: i } });
					continue;
				}
				throw toNodeError(ctx.getNode(), err, i);
			}
		}
	} finally {
		client.close();
	}
	return [out];
}

/** An operation as the node's table lists it: its option in the editor and the code that runs it. */
export interface OperationEntry extends INodePropertyOptions {
	run: Operation;
}

/** The "Operation" parameter, built from the node's operation table. */
export function operationProperty(operations: Record<string, OperationEntry>, defaultValue: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: Object.values(operations).map(({ name, value, description, action }) => ({ name, value, description, action })),
		default: defaultValue,
	};
}

/** The canvas subtitle: the chosen operation's display name, as n8n's own nodes show it. */
export function operationSubtitle(operations: Record<string, OperationEntry>): string {
	const names = Object.fromEntries(Object.values(operations).map(({ value, name }) => [value, name]));
	return `={{${JSON.stringify(names)}[$parameter["operation"]] || $parameter["operation"]}}`;
}

/** Runs each item's chosen operation from the node's table. */
export function executeOperations(ctx: IExecuteFunctions, operations: Record<string, OperationEntry>): Promise<INodeExecutionData[][]> {
	return executePerItem(ctx, (itemIndex) => {
		const operation = ctx.getNodeParameter('operation', itemIndex) as string;
		const entry = operations[operation];
		if (!entry) throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operation}"`, { itemIndex });
		return entry.run;
	});
}
