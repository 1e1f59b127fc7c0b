/**
 * The remark watcher against a model of Bilibili's list: remarks arrive (newest first, ties in ctime
 * broken by id) and are deleted between polls, pages come back short (remarks missing from a page's
 * end) and detail calls fail. Every remark present for the whole of a successful poll and shown by
 * the list during it (a remark a short page hid and that is deleted before anyone sees it cannot be
 * delivered by anyone) is delivered exactly once, oldest first within a poll, and none twice.
 */
import fc from 'fast-check';
import {
	BilibiliApiError,
	pollNewRemarks,
	type Remark,
	type RemarkMark,
	type RemarksApi,
} from '../../index';

const PAGE = 12;

interface ModelRemark {
	id: number;
	ctime: number;
}

class ModelList {
	remarks: ModelRemark[] = [];
	private nextId = 1;
	private clock = 1_000;
	/** Pages (by pn) of the current poll to answer short, and by how many. */
	short = new Map<number, number>();
	/** Ids whose detail answers -404 (deleted, hidden). */
	goneDetails = new Set<number>();
	/** Ids the list has shown since this was last cleared. */
	shown = new Set<number>();

	add(ctimeStep: number): ModelRemark {
		this.clock += ctimeStep;
		const remark = { id: this.nextId++, ctime: this.clock };
		this.remarks.push(remark);
		return remark;
	}

	remove(index: number): void {
		if (this.remarks.length) this.remarks.splice(index % this.remarks.length, 1);
	}

	api(): RemarksApi {
		const newestFirst = () => [...this.remarks].sort((a, b) => b.ctime - a.ctime || b.id - a.id);
		const toRemark = (r: ModelRemark) =>
			({
				id: r.id,
				ctime: r.ctime,
				msg: `m${r.id}`,
				uname: '',
				avator: '',
				mid: 0,
			}) as unknown as Remark;
		return {
			list: async ({ pn = 1, ps = PAGE }: { pn?: number; ps?: number } = {}) => {
				const all = newestFirst();
				let list = all.slice((pn - 1) * ps, pn * ps);
				const drop = this.short.get(pn) ?? 0;
				if (drop) list = list.slice(0, Math.max(0, list.length - drop));
				for (const r of list) this.shown.add(r.id);
				return { list: list.map(toRemark), page: { num: pn, size: ps, total: all.length } };
			},
			detail: async (id: number | string) => {
				const found = this.remarks.find((r) => r.id === Number(id));
				if (!found || this.goneDetails.has(Number(id)))
					throw new BilibiliApiError({ code: -404, endpoint: 'remarks.detail' });
				return { ...toRemark(found), uname: `fan${found.id}`, mid: 1000 + found.id };
			},
		} as unknown as RemarksApi;
	}
}

const step = fc.record({
	arrivals: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 30 }),
	deletions: fc.array(fc.nat(), { maxLength: 3 }),
	short: fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: PAGE })), {
		maxLength: 2,
	}),
	details: fc.boolean(),
	goneDetail: fc.option(fc.nat(), { nil: undefined }),
});

describe('remark watcher against a model of the list', () => {
	it('delivers every remark present for a whole successful poll (and shown in it) exactly once', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(step, { minLength: 1, maxLength: 25 }),
				fc.integer({ min: 0, max: 30 }),
				async (steps, before) => {
					const model = new ModelList();
					for (let i = 0; i < before; i++) model.add(1);
					const api = model.api();
					let mark: RemarkMark | undefined = (await pollNewRemarks(api, undefined)).mark;
					const delivered: number[] = [];
					/** Remarks that were present for the whole of some successful poll. */
					const owed = new Set<number>();
					const runPoll = async (includeDetails: boolean) => {
						const present = new Set(model.remarks.map((r) => r.id));
						model.shown.clear();
						const result = await pollNewRemarks(api, mark, { includeDetails });
						const ids = result.remarks.map((r) => r.id);
						delivered.push(...ids);
						// Oldest first within one poll.
						const order = result.remarks.map((r) => [r.ctime, r.id]);
						expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
						for (const id of present)
							if (model.shown.has(id) && model.remarks.some((r) => r.id === id)) owed.add(id);
						mark = result.mark;
						return result;
					};
					for (const s of steps) {
						for (const gap of s.arrivals) model.add(gap);
						for (const d of s.deletions) model.remove(d);
						if (s.goneDetail !== undefined && model.remarks.length)
							model.goneDetails.add(model.remarks[s.goneDetail % model.remarks.length].id);
						model.short = new Map(s.short);
						await runPoll(s.details);
					}
					// Then quiet polls until the watcher says it saw a consistent list.
					model.short.clear();
					for (let i = 0; i < 5 && !(await runPoll(false)).complete; i++);
					expect(new Set(delivered).size).toBe(delivered.length);
					const missing = [...owed].filter((id) => !delivered.includes(id) && id > 0);
					// Only remarks newer than the primed mark are owed.
					expect(missing.filter((id) => id > before)).toEqual([]);
				},
			),
			{ numRuns: 400 },
		);
	});
});
