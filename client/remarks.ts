/**
 * Charge remarks (充电留言) an UP主 received: list, detail, reply. Page: charge-remarks.md.
 */
import type { Endpoint } from './transport/hosts';
import type { Transport } from './transport/transport';
import { BilibiliValidationError, unexpectedAnswer } from './errors';
import { isObject, isPositiveInteger } from './shape';
import { dateRange, describe, integerInRange, nonEmptyText, positiveId, type Id } from './validate';

export const REMARK_ENDPOINTS = {
	list: { name: 'remarks.list', method: 'GET', host: 'member', path: '/x/web/elec/remark/list' },
	detail: {
		name: 'remarks.detail',
		method: 'GET',
		host: 'member',
		path: '/x/web/elec/remark/detail',
	},
	reply: {
		name: 'remarks.reply',
		method: 'POST',
		host: 'member',
		path: '/x/web/elec/remark/reply',
	},
} satisfies Record<string, Endpoint>;

/** Largest page the list endpoint serves. */
export const REMARK_PAGE_MAX = 12;

export interface Remark {
	aid: number;
	bvid: string;
	/** Remark id (留言记录id). */
	id: number;
	/** Sender's mid; 0 in the list, filled by the detail endpoint. */
	mid: number;
	reply_mid: number;
	elec_num: number;
	/** 0 not yet replied, 1 replied. */
	state: number;
	msg: string;
	aname: string;
	/** Sender's name; empty in the list, filled by the detail endpoint. */
	uname: string;
	/** Sender's avatar URL (Bilibili's spelling); empty in the list. */
	avator: string;
	reply_name: string;
	reply_avator: string;
	reply_msg: string;
	/** When the remark was left, in milliseconds. */
	ctime: number;
	/** When it was replied to, in milliseconds (0 if not). */
	reply_time: number;
}

export interface RemarkListParams {
	/** YYYY-MM-DD; Bilibili's default 2016-01-01. */
	begin?: string;
	/** YYYY-MM-DD; Bilibili's default 2050-01-01. */
	end?: string;
	/** Page number from 1. */
	pn?: number | string;
	/** Page size 1..12. */
	ps?: number | string;
}

export interface RemarkPage {
	list: Remark[];
	page: { current: number; size: number; total: number };
}

export interface RemarkReplyParams {
	id: Id;
	msg: string;
}

function isRemark(value: unknown): value is Remark {
	return (
		isObject(value) &&
		isPositiveInteger(value.id) &&
		typeof value.ctime === 'number' &&
		Number.isFinite(value.ctime)
	);
}

/** The list's data, checked: the watcher orders and compares remarks by id and ctime, and pages by total. */
function readPage(endpoint: string, data: unknown, pn: number, ps: number): RemarkPage {
	const d = isObject(data) ? data : {};
	const list = d.list ?? [];
	if (!Array.isArray(list)) throw unexpectedAnswer(endpoint, 'data.list is not a list', true);
	if (!list.every(isRemark))
		throw unexpectedAnswer(endpoint, 'a remark in data.list has no numeric id or ctime', true);
	// The page's table says `page`, its example answers `pager`.
	const pager = isObject(d.page) ? d.page : isObject(d.pager) ? d.pager : undefined;
	if (!pager && list.length > 0)
		throw unexpectedAnswer(endpoint, 'remarks without data.pager', true);
	const total = pager ? Number(pager.total) : 0;
	if (!Number.isSafeInteger(total) || total < 0)
		throw unexpectedAnswer(endpoint, 'data.pager.total is not a count', true);
	return {
		list,
		page: { current: Number(pager?.current ?? pn), size: Number(pager?.size ?? ps), total },
	};
}

export function remarksApi(t: Transport) {
	const api = {
		/** One page of remarks, newest first. */
		async list(params: RemarkListParams | null = {}, signal?: AbortSignal): Promise<RemarkPage> {
			const p = params ?? {};
			if (!isObject(p))
				throw new BilibiliValidationError(
					'list parameters',
					'an object (begin, end, pn, ps)',
					describe(params),
				);
			const { begin, end } = dateRange(p.begin, p.end);
			const pn = p.pn === undefined ? 1 : integerInRange('pn', p.pn, 1);
			const ps =
				p.ps === undefined ? REMARK_PAGE_MAX : integerInRange('ps', p.ps, 1, REMARK_PAGE_MAX);
			const ep = REMARK_ENDPOINTS.list;
			const env = await t.request(ep, { query: { begin, end, pn, ps }, signal });
			return readPage(ep.name, env.data, pn, ps);
		},

		/** Every remark in the range, newest first, one page request at a time. */
		async *iterate(
			params: Omit<RemarkListParams, 'pn'> | null = {},
			signal?: AbortSignal,
		): AsyncGenerator<Remark> {
			const seen = new Set<number>();
			const ps =
				params?.ps === undefined
					? REMARK_PAGE_MAX
					: integerInRange('ps', params.ps, 1, REMARK_PAGE_MAX);
			for (let pn = 1; ; pn++) {
				const { list, page } = await api.list({ ...params, ps, pn }, signal);
				for (const remark of list) {
					// New remarks arriving while paging shift older ones onto the next page.
					if (seen.has(remark.id)) continue;
					seen.add(remark.id);
					yield remark;
				}
				// By the size asked for, not the size the pager claims: a pager saying size 0 must not loop forever.
				if (list.length === 0 || pn * ps >= page.total) return;
			}
		},

		/** One remark with its sender's name, avatar and mid, and the reply if any. */
		async detail(id: Id, signal?: AbortSignal): Promise<Remark> {
			const ep = REMARK_ENDPOINTS.detail;
			const env = await t.request(ep, { query: { id: positiveId('id', id) }, signal });
			if (!isRemark(env.data))
				throw unexpectedAnswer(ep.name, 'data is not a remark with a numeric id and ctime');
			return env.data;
		},

		/** Replies to a remark as the UP主. */
		async reply(params: RemarkReplyParams, signal?: AbortSignal): Promise<void> {
			if (!isObject(params))
				throw new BilibiliValidationError(
					'reply parameters',
					'an object with id and msg',
					describe(params),
				);
			const id = positiveId('id', params.id);
			const msg = nonEmptyText('msg', params.msg);
			await t.request(REMARK_ENDPOINTS.reply, { form: { id, msg }, signal });
		},
	};
	return api;
}

export type RemarksApi = ReturnType<typeof remarksApi>;
