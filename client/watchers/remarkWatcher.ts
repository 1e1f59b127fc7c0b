/**
 * Finds the charge remarks that arrived since a stored mark. Pure: it returns the new mark instead of
 * storing it, so a caller that saves the mark only after handling the remarks loses nothing when a
 * poll fails, and a failed poll (it throws) leaves the old mark in place.
 */
import type { Remark, RemarksApi } from '../remarks';
import { REMARK_PAGE_MAX } from '../remarks';
import { mapLimit } from './mapLimit';

/** The newest remark already handled. */
export interface RemarkMark {
	id: number;
	ctime: number;
}

export interface RemarkPollOptions {
	/** Fetch each new remark's detail (sender uname, avatar, mid). */
	includeDetails?: boolean;
	/** Detail requests in flight at once. */
	detailConcurrency?: number;
	signal?: AbortSignal;
}

export interface RemarkPollResult {
	/** New remarks, oldest first. */
	remarks: Remark[];
	/** Store this once the remarks are handled. */
	mark: RemarkMark;
	/** True when there was no mark: this poll only set it. */
	primed: boolean;
}

/** The mark meaning "nothing seen yet": every remark is new. */
export const EMPTY_MARK: RemarkMark = { id: 0, ctime: 0 };

function isAtOrBefore(remark: Remark, mark: RemarkMark): boolean {
	return remark.ctime < mark.ctime || (remark.ctime === mark.ctime && remark.id <= mark.id);
}

/** A remark with its sender filled in by the detail endpoint (the list leaves uname, avator, mid empty). */
async function withDetails(api: RemarksApi, remark: Remark, signal?: AbortSignal): Promise<Remark> {
	return { ...remark, ...(await api.detail(remark.id, signal)) };
}

/** The newest remark, for a sample or to show once at start; it does not touch any mark. */
export async function newestRemark(api: RemarksApi, options: Pick<RemarkPollOptions, 'includeDetails' | 'signal'> = {}): Promise<Remark | undefined> {
	const [newest] = (await api.list({ pn: 1, ps: 1 }, options.signal)).list;
	return newest && options.includeDetails ? withDetails(api, newest, options.signal) : newest;
}

function byAge(a: Remark, b: Remark): number {
	return a.ctime - b.ctime || a.id - b.id;
}

export async function pollNewRemarks(api: RemarksApi, mark: RemarkMark | undefined, options: RemarkPollOptions = {}): Promise<RemarkPollResult> {
	const { signal } = options;
	if (!mark) {
		const newest = await newestRemark(api, { signal });
		return { remarks: [], mark: newest ? { id: newest.id, ctime: newest.ctime } : { ...EMPTY_MARK }, primed: true };
	}

	const fresh = new Map<number, Remark>();
	for (let pn = 1; ; pn++) {
		const { list, page } = await api.list({ pn, ps: REMARK_PAGE_MAX }, signal);
		let reached = false;
		for (const remark of list) {
			if (isAtOrBefore(remark, mark)) {
				reached = true;
				break;
			}
			// A remark that arrives while paging pushes older ones onto the next page: count each once.
			fresh.set(remark.id, remark);
		}
		if (reached || list.length < REMARK_PAGE_MAX || pn * REMARK_PAGE_MAX >= page.total) break;
	}

	let remarks = [...fresh.values()].sort(byAge);
	if (options.includeDetails && remarks.length > 0) {
		remarks = await mapLimit(remarks, options.detailConcurrency ?? 3, (r) => withDetails(api, r, signal));
	}
	const newest = remarks[remarks.length - 1];
	return { remarks, mark: newest ? { id: newest.id, ctime: newest.ctime } : mark, primed: false };
}
