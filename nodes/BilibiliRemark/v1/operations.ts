/** The Remark node's operations: list, one in detail, reply. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { OperationEntry } from '../../shared/execute';
import type { Remark } from '../../../client';
import { sendOnce } from '../../shared/writeMemo';
import type { N8nOperation } from '../../../client/operations';

/**
 * The calendar day the user picked, as written: n8n's date picker gives "2026-01-01T00:00:00" in the
 * instance's zone, and converting it through the process time zone would shift the day east of
 * Beijing. Bilibili reads the day in Beijing time (UTC+8).
 */
function pickedDay(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	return /^\d{4}-\d{2}-\d{2}/.exec(text)?.[0] ?? text;
}

/** One entry per operation of the client's `remarks` area (client/operations.ts), under n8n's saved names. */
export const REMARK_OPERATIONS: Record<N8nOperation<'remarks'>, OperationEntry> = {
	getMany: {
		name: 'Get Many',
		value: 'getMany',
		description: 'List the charge remarks you received, newest first',
		action: 'Get many charge remarks',
		async run(client, i) {
			const returnAll = this.getNodeParameter('returnAll', i) as boolean;
			const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
			const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
			const range = { begin: pickedDay(filters.begin), end: pickedDay(filters.end) };
			const out: IDataObject[] = [];
			if (limit <= 0) return out;
			for await (const remark of client.remarks.iterate(range, this.getExecutionCancelSignal())) {
				out.push(remark as unknown as IDataObject);
				if (out.length >= limit) break;
			}
			return out;
		},
	},
	get: {
		name: 'Get',
		value: 'get',
		description: "One remark with the sender's name, avatar and mid, and your reply",
		action: 'Get a charge remark',
		async run(client, i) {
			return (await client.remarks.detail(
				this.getNodeParameter('remarkId', i) as string,
				this.getExecutionCancelSignal(),
			)) as Remark as unknown as IDataObject;
		},
	},
	reply: {
		name: 'Reply',
		value: 'reply',
		description: 'Reply to a remark as the creator',
		action: 'Reply to a charge remark',
		async run(client, i) {
			const id = this.getNodeParameter('remarkId', i) as string;
			const msg = this.getNodeParameter('message', i) as string;
			await sendOnce(this, i, () =>
				client.remarks.reply({ id, msg }, this.getExecutionCancelSignal()),
			);
			return { success: true, id: String(id).trim(), msg };
		},
	},
};

export const REMARK_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Remark ID',
		name: 'remarkId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '6715018',
		description: 'The ID of the remark, e.g. from Get Many or the Remark Trigger',
		displayOptions: { show: { operation: ['get', 'reply'] } },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		placeholder: 'Thank you for the charge!',
		description: 'Your reply',
		displayOptions: { show: { operation: ['reply'] } },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: { operation: ['getMany'] } },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { operation: ['getMany'], returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { operation: ['getMany'] } },
		options: [
			{
				displayName: 'From Date',
				name: 'begin',
				type: 'dateTime',
				default: '',
				description:
					'Only remarks on or after this day. The day is sent as picked; Bilibili reads it in Beijing time (UTC+8).',
			},
			{
				displayName: 'To Date',
				name: 'end',
				type: 'dateTime',
				default: '',
				description:
					'Only remarks on or before this day. The day is sent as picked; Bilibili reads it in Beijing time (UTC+8).',
			},
		],
	},
];
