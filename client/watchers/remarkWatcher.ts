/**
 * Finds the charge remarks that arrived since a stored mark. Pure: it returns the new mark instead of
 * storing it, so a caller that saves the mark only after handling the remarks loses nothing when a
 * poll fails, and a failed poll (it throws) leaves the old mark in place.
 */
import type { Remark, RemarksApi } from '../remarks';
import { REMARK_PAGE_MAX } from '../remarks';
import { BilibiliValidationError } from '../errors';
import { isObject } from '../shape';
import { booleanFlag, describe, optionalInteger, own } from '../validate';
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
	/**
	 * False when the list looked inconsistent (a short page, remarks deleted while walking): only the
	 * remarks older than the inconsistency were returned; the rest come with the next poll.
	 */
	complete: boolean;
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
	const signal = own(options, 'signal');
	const [newest] = (await api.list({ pn: 1, ps: 1 }, signal)).list;
	return newest && booleanFlag('includeDetails', own(options, 'includeDetails'), false) ? withDetails(api, newest, signal) : newest;
}

function byAge(a: Remark, b: Remark): number {
	return a.ctime - b.ctime || a.id - b.id;
}

/** A stored mark, checked: a corrupt one would silently re-deliver (or skip) every remark. */
export function checkMark(mark: unknown): RemarkMark | undefined {
	if (mark === undefined || mark === null) return undefined;
	const id = isObject(mark) ? mark.id : undefined;
	const ctime = isObject(mark) ? mark.ctime : undefined;
	const ok = typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 && typeof ctime === 'number' && Number.isSafeInteger(ctime) && ctime >= 0;
	if (!ok) throw new BilibiliValidationError('mark', 'a stored remark mark {id, ctime} (or none, to start watching from now)', describe(mark));
	return { id, ctime };
}

/**
 * Walks the list newest first until it reaches the mark, paging by the pager's total (never by a
 * page's length). A page that is short although the pager says more follow, or a total that shrank
 * while walking (deletions shift remarks onto earlier pages), may hide remarks; only the remarks
 * older than every such gap are returned, and the mark moves no further than the newest of them, so
 * whatever the gap hid is newer than the mark and found by the next poll.
 */
export async function pollNewRemarks(api: RemarksApi, storedMark: RemarkMark | undefined, options: RemarkPollOptions = {}): Promise<RemarkPollResult> {
	const signal = own(options, 'signal');
	const includeDetails = booleanFlag('includeDetails', own(options, 'includeDetails'), false);
	const concurrency = optionalInteger('detailConcurrency', own(options, 'detailConcurrency'), 3, 1, REMARK_PAGE_MAX);
	const mark = checkMark(storedMark);
	if (!mark) {
		const newest = await newestRemark(api, { signal });
		return { remarks: [], mark: newest ? { id: newest.id, ctime: newest.ctime } : { ...EMPTY_MARK }, primed: true, complete: true };
	}

	/** Each new remark with the last page it was seen on. */
	const fresh = new Map<number, { remark: Remark; pn: number }>();
	/** Remarks on pages before this one may sit next to a gap. */
	let safeFrom = 1;
	let previousTotal: number | undefined;
	for (let pn = 1; ; pn++) {
		const { list, page } = await api.list({ pn, ps: REMARK_PAGE_MAX }, signal);
		if (previousTotal !== undefined && page.total < previousTotal) safeFrom = pn;
		previousTotal = page.total;
		const morePages = pn * REMARK_PAGE_MAX < page.total;
		if (list.length < REMARK_PAGE_MAX && morePages) safeFrom = pn + 1;
		let reached = false;
		for (const remark of list) {
			if (isAtOrBefore(remark, mark)) {
				reached = true;
				break;
			}
			// A remark that arrives while paging pushes older ones onto the next page: count each once.
			fresh.set(remark.id, { remark, pn });
		}
		if (reached || list.length === 0 || !morePages) break;
	}

	const safe = [...fresh.values()].filter((f) => f.pn >= safeFrom).map((f) => f.remark);
	let remarks = safe.sort(byAge);
	if (includeDetails && remarks.length > 0) {
		remarks = await mapLimit(remarks, concurrency, (r) => withDetails(api, r, signal));
	}
	const newest = remarks[remarks.length - 1];
	return { remarks, mark: newest ? { id: newest.id, ctime: newest.ctime } : mark, primed: false, complete: safe.length === fresh.size };
}
