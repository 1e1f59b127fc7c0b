/**
 * Finds the charge remarks that arrived since a stored mark. Pure: it returns the new mark instead of
 * storing it, so a caller that saves the mark only after handling the remarks loses nothing when a
 * poll fails, and a failed poll (it throws) leaves the old mark in place.
 */
import type { Remark, RemarksApi } from '../remarks';
import { REMARK_PAGE_MAX } from '../remarks';
import { BilibiliApiError, BilibiliValidationError, type BilibiliErrorCode } from '../errors';
import { isObject } from '../shape';
import { booleanFlag, describe, optionalInteger, own } from '../validate';
import { mapLimit } from './mapLimit';

/** The newest remark already handled. */
export interface RemarkMark {
	id: number;
	ctime: number;
	/** Ids of remarks newer than the mark already returned (a gap kept the mark from moving past them). */
	seen?: number[];
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
	remarks: PolledRemark[];
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

/** Why a polled remark came without its sender details. */
export interface DetailError {
	code: BilibiliErrorCode;
	message: string;
}

/** A remark as a poll returns it: with sender details, or the reason they could not be read. */
export type PolledRemark = Remark & { detailError?: DetailError };

/**
 * A remark with its sender filled in by the detail endpoint (the list leaves uname, avator, mid
 * empty). A detail that will not come (deleted, hidden, refused for this remark) gives the remark
 * without details and the reason, so one bad remark cannot hold back every remark after it; a passing
 * failure, or one of the whole account (logged out), fails the poll and the next poll tries again.
 */
async function withDetails(
	api: RemarksApi,
	remark: Remark,
	signal?: AbortSignal,
): Promise<PolledRemark> {
	return api.detail(remark.id, signal).then(
		// The list's id and ctime stay: they are what the mark is built from.
		(detail) => ({ ...remark, ...detail, id: remark.id, ctime: remark.ctime }),
		(err: unknown) =>
			!(err instanceof BilibiliApiError) || err.retryable || ACCOUNT_WIDE.has(err.code)
				? Promise.reject(err)
				: { ...remark, detailError: { code: err.code, message: err.message } },
	);
}

/** Failures that say nothing about one remark but about the session or the request: never skipped over. */
const ACCOUNT_WIDE = new Set<BilibiliErrorCode>([
	-101,
	-111,
	// Risk control refuses the requests, not this remark.
	-352,
	'ABORTED',
	'BACKING_OFF',
	'NETWORK',
	'TIMEOUT',
	'OUTCOME_UNKNOWN',
]);

/** The newest remark, for a sample or to show once at start; it does not touch any mark. */
export async function newestRemark(
	api: RemarksApi,
	options: Pick<RemarkPollOptions, 'includeDetails' | 'signal'> = {},
): Promise<Remark | undefined> {
	const signal = own(options, 'signal');
	const [newest] = (await api.list({ pn: 1, ps: 1 }, signal)).list;
	return newest && booleanFlag('includeDetails', own(options, 'includeDetails'), false)
		? withDetails(api, newest, signal)
		: newest;
}

function byAge(a: Remark, b: Remark): number {
	return a.ctime - b.ctime || a.id - b.id;
}

/** A stored mark, checked: a corrupt one would silently re-deliver (or skip) every remark. */
export function checkMark(mark: unknown): RemarkMark | undefined {
	if (mark === undefined || mark === null) return undefined;
	const id = isObject(mark) ? mark.id : undefined;
	const ctime = isObject(mark) ? mark.ctime : undefined;
	const ok =
		typeof id === 'number' &&
		Number.isSafeInteger(id) &&
		id >= 0 &&
		typeof ctime === 'number' &&
		Number.isSafeInteger(ctime) &&
		ctime >= 0;
	const seen = isObject(mark) ? mark.seen : undefined;
	const seenOk =
		seen === undefined ||
		(Array.isArray(seen) &&
			seen.length <= MAX_SEEN_ABOVE_MARK &&
			seen.every((s) => typeof s === 'number' && Number.isSafeInteger(s)));
	if (!ok || !seenOk)
		throw new BilibiliValidationError(
			'mark',
			'a stored remark mark {id, ctime, seen?} (or none, to start watching from now)',
			describe(mark),
		);
	return seen === undefined || seen.length === 0
		? { id, ctime }
		: { id, ctime, seen: [...(seen as number[])] };
}

/** Remarks delivered above a mark that a gap kept from moving; past this many, the mark moves on. */
export const MAX_SEEN_ABOVE_MARK = 1000;

/**
 * Walks the list newest first until it reaches the mark, paging by the pager's total (never by a
 * page's length). A page with fewer remarks than the pager promises (the last page too), or a total
 * that shrank while walking (deletions shift remarks onto earlier pages), may hide remarks older than
 * what it showed. Every new remark the walk saw is returned at once (one that is deleted before the
 * next poll is not lost), but the mark moves no further than the newest remark older than every such
 * gap; the ones returned above it are kept in the mark's `seen` list, so the next poll finds what the
 * gap hid without returning them again.
 */
export async function pollNewRemarks(
	api: RemarksApi,
	storedMark: RemarkMark | undefined,
	options: RemarkPollOptions = {},
): Promise<RemarkPollResult> {
	const signal = own(options, 'signal');
	const includeDetails = booleanFlag('includeDetails', own(options, 'includeDetails'), false);
	const concurrency = optionalInteger(
		'detailConcurrency',
		own(options, 'detailConcurrency'),
		3,
		1,
		REMARK_PAGE_MAX,
	);
	const mark = checkMark(storedMark);
	if (!mark) {
		const newest = await newestRemark(api, { signal });
		return {
			remarks: [],
			mark: newest ? { id: newest.id, ctime: newest.ctime } : { ...EMPTY_MARK },
			primed: true,
			complete: true,
		};
	}
	const seen = new Set(mark.seen ?? []);

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
		let reached = false;
		for (const remark of list) {
			if (isAtOrBefore(remark, mark)) {
				reached = true;
				break;
			}
			// A remark that arrives while paging pushes older ones onto the next page: count each once.
			fresh.set(remark.id, { remark, pn });
		}
		// Fewer than the pager promises for this page, the last page included: remarks may be missing
		// from its end, older than all it showed. Unless the mark was on it, they may be new.
		const promised = Math.min(REMARK_PAGE_MAX, page.total - (pn - 1) * REMARK_PAGE_MAX);
		if (list.length < promised && !reached) safeFrom = pn + 1;
		if (reached || list.length === 0 || !morePages) break;
	}

	const all = [...fresh.values()];
	const listed = all
		.filter((f) => !seen.has(f.remark.id))
		.map((f) => f.remark)
		.sort(byAge);
	const remarks: PolledRemark[] =
		includeDetails && listed.length > 0
			? await mapLimit(listed, concurrency, (r) => withDetails(api, r, signal))
			: listed;
	return { remarks, mark: nextMark(mark, all, safeFrom), primed: false, complete: safeFrom === 1 };
}

/**
 * The mark after a poll, from the list's (id, ctime): past the newest remark older than every gap,
 * remembering as seen the remarks above it that were returned, now or before.
 */
function nextMark(
	mark: RemarkMark,
	all: Array<{ remark: Remark; pn: number }>,
	safeFrom: number,
): RemarkMark {
	const safe = all
		.filter((f) => f.pn >= safeFrom)
		.map((f) => f.remark)
		.sort(byAge);
	const base = safe[safe.length - 1] ?? mark;
	const walked = new Set(all.map((f) => f.remark.id));
	const gap = safeFrom > 1;
	const seen = [
		// Everything the walk found is returned by now (this poll or an earlier one).
		...all.filter((f) => !isAtOrBefore(f.remark, base)).map((f) => f.remark.id),
		// Seen before and not found now: deleted, or hidden by this poll's gap; kept only in the latter case.
		...(gap ? (mark.seen ?? []).filter((id) => !walked.has(id)) : []),
	];
	if (seen.length > MAX_SEEN_ABOVE_MARK) {
		// A gap that never closes: move on past everything returned rather than remember without end.
		const newest =
			all
				.map((f) => f.remark)
				.sort(byAge)
				.pop() ?? base;
		return { id: newest.id, ctime: newest.ctime };
	}
	return seen.length
		? { id: base.id, ctime: base.ctime, seen }
		: { id: base.id, ctime: base.ctime };
}
