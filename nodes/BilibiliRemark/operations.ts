/** The Remark node's operations (充电留言): list, one in detail, reply. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { OperationEntry } from '../shared/execute';
import type { Remark } from '../../index';

/** n8n date pickers give ISO date-times; the endpoint wants Beijing calendar days. */
function beijingDay(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value);
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? text : new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

export const REMARK_OPERATIONS: Record<string, OperationEntry> = {
	getMany: {
		name: 'Get Many',
		value: 'getMany',
		description: 'List the charge remarks you received, newest first (查询充电留言)',
		action: 'Get many charge remarks',
		async run(client, i) {
			const returnAll = this.getNodeParameter('returnAll', i) as boolean;
			const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
			const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
			const range = { begin: beijingDay(filters.begin), end: beijingDay(filters.end) };
			const out: IDataObject[] = [];
			if (limit <= 0) return out;
			for await (const remark of client.remarks.iterate(range)) {
				out.push(remark as unknown as IDataObject);
				if (out.length >= limit) break;
			}
			return out;
		},
	},
	get: {
		name: 'Get',
		value: 'get',
		description: "One remark with the sender's name, avatar and mid, and your reply (留言详情)",
		action: 'Get a charge remark',
		async run(client, i) {
			return (await client.remarks.detail(this.getNodeParameter('remarkId', i) as string)) as Remark as unknown as IDataObject;
		},
	},
	reply: {
		name: 'Reply',
		value: 'reply',
		description: 'Reply to a remark as the UP主 (回复充电留言)',
		action: 'Reply to a charge remark',
		async run(client, i) {
			const id = this.getNodeParameter('remarkId', i) as string;
			const msg = this.getNodeParameter('message', i) as string;
			await client.remarks.reply({ id, msg });
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
		description: 'The remark\'s "id" (留言记录id), e.g. from Get Many or the Remark Trigger',
		displayOptions: { show: { operation: ['get', 'reply'] } },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		placeholder: '谢谢你的充电!',
		description: 'Your reply (回复信息)',
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
			{ displayName: 'From Date', name: 'begin', type: 'dateTime', default: '', description: 'Only remarks on or after this day (Beijing time, 起始日期)' },
			{ displayName: 'To Date', name: 'end', type: 'dateTime', default: '', description: 'Only remarks on or before this day (Beijing time, 结束日期)' },
		],
	},
];
