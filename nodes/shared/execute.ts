/**
 * The per-item loop every action node shares: one client per execution, each item with its own
 * parameters, pairedItem on every output item, Continue On Fail honoured, and what was spent named if
 * a later item stops the node. Writes wrap their request in sendOnce (writeMemo.ts).
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';
import { BilibiliOutcomeUnknownError, type BilibiliClient } from '../../client';
import { clientFor } from './client';
import { errorJson, explainLoggedOut, toNodeError } from './errors';

export type ItemResult = IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[];

export type Operation = (
	this: IExecuteFunctions,
	client: BilibiliClient,
	itemIndex: number,
) => Promise<ItemResult>;

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return (
		typeof value === 'object' && value !== null && 'json' in value && typeof value.json === 'object'
	);
}

/** The shape of a table entry the loop needs: how to run it, and what a result spent. */
type Runnable = Pick<OperationEntry, 'run' | 'spent'>;

export async function executePerItem(
	ctx: IExecuteFunctions,
	pick: (itemIndex: number) => Runnable,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	// Built on first use, inside the item's try: a credential error then honours Continue On Fail.
	let client: BilibiliClient | undefined;
	const cancelled = ctx.getExecutionCancelSignal();
	/** What this run already spent, named in the error if a later item stops the node. */
	const spent: string[] = [];
	try {
		for (let i = 0; i < items.length; i++) {
			try {
				// A stopped or timed-out execution sends nothing more, not even for the items left.
				if (cancelled?.aborted)
					throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled', {
						itemIndex: i,
					});
				const entry = pick(i);
				client ??= await clientFor(ctx);
				const result = await entry.run.call(ctx, client, i);
				const what = entry.spent?.(result);
				if (what) spent.push(`item ${i}: ${what}`);
				for (const one of Array.isArray(result) ? result : [result]) {
					const item = isExecutionData(one) ? one : { json: one };
					out.push({ ...item, pairedItem: { item: i } });
				}
			} catch (caught) {
				// Kept like a charge made: an error item is dropped too if a later item stops the node.
				if (caught instanceof BilibiliOutcomeUnknownError)
					spent.push(`item ${i}: outcome unknown (${caught.endpoint}), check the charge history`);
				const err = await explainLoggedOut(ctx, caught);
				if (ctx.continueOnFail() && !cancelled?.aborted) {
					out.push({ json: errorJson(err), pairedItem: { item: i } });
					continue;
				}
				throw withSpending(toNodeError(ctx.getNode(), err, i), spent);
			}
		}
	} finally {
		client?.close();
	}
	return [out];
}

/**
 * The node stops and n8n drops the items it already produced: the error keeps what they spent, since
 * retrying the execution would send those charges again.
 */
function withSpending<E extends NodeApiError | NodeOperationError>(error: E, spent: string[]): E {
	if (spent.length === 0) return error;
	const list = spent.join('; ');
	error.description = `${error.description ? `${error.description} ` : ''}Already charged by this node before it stopped (not undone), or with an unknown outcome: ${list}. Retrying this execution would charge these again: remove them from the input first.`;
	error.context = { ...error.context, alreadyCharged: spent };
	return error;
}

/** An operation as the node's table lists it: its option in the editor and the code that runs it. */
export interface OperationEntry extends INodePropertyOptions {
	run: Operation;
	/** For writes that spend: what one result spent, in words (amount, creator, order). */
	spent?: (result: ItemResult) => string | undefined;
}

/** The "Operation" parameter, built from the node's operation table. */
export function operationProperty(
	operations: Record<string, OperationEntry>,
	defaultValue: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: Object.values(operations).map(({ name, value, description, action }) => ({
			name,
			value,
			description,
			action,
		})),
		default: defaultValue,
	};
}

/** The canvas subtitle: the chosen operation's display name, as n8n's own nodes show it. */
export function operationSubtitle(operations: Record<string, OperationEntry>): string {
	const names = Object.fromEntries(
		Object.values(operations).map(({ value, name }) => [value, name]),
	);
	return `={{${JSON.stringify(names)}[$parameter["operation"]] || $parameter["operation"]}}`;
}

/** Runs each item's chosen operation from the node's table. */
export function executeOperations(
	ctx: IExecuteFunctions,
	operations: Record<string, OperationEntry>,
): Promise<INodeExecutionData[][]> {
	return executePerItem(ctx, (itemIndex) => {
		const operation = ctx.getNodeParameter('operation', itemIndex) as string;
		const entry = operations[operation];
		if (!entry)
			throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operation}"`, {
				itemIndex,
			});
		return entry;
	});
}
