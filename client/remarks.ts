/**
 * Charge remarks (充电留言) an UP主 received: list, detail, reply. Page: charge-remarks.md.
 */
import type { Endpoint } from './transport/hosts';
import type { Transport } from './transport/transport';
import { dateRange, integerInRange, nonEmptyText, positiveId, type Id } from './validate';

export const REMARK_ENDPOINTS = {
	list: { name: 'remarks.list', method: 'GET', host: 'member', path: '/x/web/elec/remark/list' },
	detail: { name: 'remarks.detail', method: 'GET', host: 'member', path: '/x/web/elec/remark/detail' },
	reply: { name: 'remarks.reply', method: 'POST', host: 'member', path: '/x/web/elec/remark/reply' },
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

export function remarksApi(t: Transport) {
	const api = {
		/** One page of remarks, newest first. */
		async list(params: RemarkListParams = {}, signal?: AbortSignal): Promise<RemarkPage> {
			const { begin, end } = dateRange(params.begin, params.end);
			const pn = params.pn === undefined ? 1 : integerInRange('pn', params.pn, 1);
			const ps = params.ps === undefined ? REMARK_PAGE_MAX : integerInRange('ps', params.ps, 1, REMARK_PAGE_MAX);
			const env = await t.request(REMARK_ENDPOINTS.list, { query: { begin, end, pn, ps }, signal });
			const data = (env.data ?? {}) as { list?: Remark[] | null; page?: RemarkPage['page']; pager?: RemarkPage['page'] };
			// The page's table says `page`, its example answers `pager`.
			const page = data.page ?? data.pager ?? { current: pn, size: ps, total: 0 };
			return { list: data.list ?? [], page };
		},

		/** Every remark in the range, newest first, one page request at a time. */
		async *iterate(params: Omit<RemarkListParams, 'pn'> = {}, signal?: AbortSignal): AsyncGenerator<Remark> {
			const seen = new Set<number>();
			for (let pn = 1; ; pn++) {
				const { list, page } = await api.list({ ...params, pn }, signal);
				for (const remark of list) {
					// New remarks arriving while paging shift older ones onto the next page.
					if (seen.has(remark.id)) continue;
					seen.add(remark.id);
					yield remark;
				}
				if (list.length === 0 || pn * page.size >= page.total) return;
			}
		},

		/** One remark with its sender's name, avatar and mid, and the reply if any. */
		async detail(id: Id, signal?: AbortSignal): Promise<Remark> {
			const env = await t.request(REMARK_ENDPOINTS.detail, { query: { id: positiveId('id', id) }, signal });
			return env.data as Remark;
		},

		/** Replies to a remark as the UP主. */
		async reply(params: RemarkReplyParams): Promise<void> {
			const id = positiveId('id', params?.id);
			const msg = nonEmptyText('msg', params.msg);
			await t.request(REMARK_ENDPOINTS.reply, { form: { id, msg } });
		},
	};
	return api;
}

export type RemarksApi = ReturnType<typeof remarksApi>;
