import { EMPTY_MARK, pollNewRemarks, type RemarkMark, type RemarksApi } from '../../index';
import type { Fault } from '../../simulator';
import { simClient, useSimulator } from '../helpers/sim';

const ctx = useSimulator();

/** Small seeded PRNG so the "random" run is the same every time. */
function mulberry32(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const LIST = '/x/web/elec/remark/list';

describe('pollNewRemarks', () => {
	it('first poll only sets the mark, then returns new remarks oldest first in one request', async () => {
		const client = simClient(ctx);
		ctx.sim.addRemark({ msg: 'before' });
		const first = await client.pollNewRemarks(undefined);
		expect(first).toMatchObject({ remarks: [], primed: true });
		expect(first.mark.id).toBe(ctx.sim.state.remarks[0].id);

		ctx.sim.requests.length = 0;
		const none = await client.pollNewRemarks(first.mark);
		expect(none).toEqual({ remarks: [], mark: first.mark, primed: false, complete: true });
		expect(ctx.sim.requestsTo(LIST)).toHaveLength(1);

		ctx.sim.addRemark({ msg: 'a' });
		ctx.sim.addRemark({ msg: 'b' });
		const next = await client.pollNewRemarks(first.mark);
		expect(next.remarks.map((r) => r.msg)).toEqual(['a', 'b']);
		expect(next.mark.id).toBe(next.remarks[1].id);
	});

	it('primes to the empty mark on an empty store, so the first remark ever is not lost', async () => {
		const client = simClient(ctx);
		const first = await client.pollNewRemarks(undefined);
		expect(first.mark).toEqual(EMPTY_MARK);
		ctx.sim.addRemark({ msg: 'first ever' });
		expect((await client.pollNewRemarks(first.mark)).remarks.map((r) => r.msg)).toEqual([
			'first ever',
		]);
	});

	it('pages back through more than 12 new remarks, one list page per 12', async () => {
		const client = simClient(ctx);
		const { mark } = await client.pollNewRemarks(undefined);
		for (let i = 0; i < 30; i++) ctx.sim.addRemark({ msg: `r${i}` });
		ctx.sim.requests.length = 0;
		const result = await client.pollNewRemarks(mark);
		expect(result.remarks.map((r) => r.msg)).toEqual(Array.from({ length: 30 }, (_, i) => `r${i}`));
		expect(ctx.sim.requestsTo(LIST)).toHaveLength(3);
	});

	it('adds sender details when asked, one detail call per remark', async () => {
		const client = simClient(ctx);
		const { mark } = await client.pollNewRemarks(undefined);
		ctx.sim.addRemark({ msg: 'x', uname: '小明', mid: 777 });
		ctx.sim.addRemark({ msg: 'y', uname: '小红', mid: 888 });
		const { remarks } = await client.pollNewRemarks(mark, {
			includeDetails: true,
			detailConcurrency: 2,
		});
		expect(remarks.map((r) => [r.msg, r.uname, r.mid])).toEqual([
			['x', '小明', 777],
			['y', '小红', 888],
		]);
		expect(ctx.sim.requestsTo('/x/web/elec/remark/detail')).toHaveLength(2);
	});

	it('counts a remark once when new ones arrive while it pages', async () => {
		const client = simClient(ctx);
		const { mark } = await client.pollNewRemarks(undefined);
		for (let i = 0; i < 20; i++) ctx.sim.addRemark({ msg: `r${i}` });
		let arrivals = 0;
		const racing: RemarksApi = {
			...client.remarks,
			async list(params, signal) {
				const page = await client.remarks.list(params, signal);
				if (arrivals++ === 0) ctx.sim.addRemark({ msg: 'late' });
				return page;
			},
		};
		const first = await pollNewRemarks(racing, mark);
		expect(first.remarks.map((r) => r.msg)).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
		const second = await pollNewRemarks(racing, first.mark);
		expect(second.remarks.map((r) => r.msg)).toEqual(['late']);
	});

	it('a failed poll throws and the caller keeps its mark: nothing skipped', async () => {
		const client = simClient(ctx, { retry: { retries: 0 } });
		const { mark } = await client.pollNewRemarks(undefined);
		ctx.sim.addRemark({ msg: 'kept' });
		ctx.sim.injectFault({ type: 'http500', path: LIST });
		await expect(client.pollNewRemarks(mark)).rejects.toMatchObject({ code: 'HTTP_ERROR' });
		expect((await client.pollNewRemarks(mark)).remarks.map((r) => r.msg)).toEqual(['kept']);
	});

	it('a failed detail call fails the whole poll rather than emitting half-enriched remarks', async () => {
		const client = simClient(ctx, { retry: { retries: 0 } });
		const { mark } = await client.pollNewRemarks(undefined);
		ctx.sim.addRemark({ msg: 'a' });
		ctx.sim.injectFault({ type: 'code', code: -352, path: '/x/web/elec/remark/detail' });
		await expect(client.pollNewRemarks(mark, { includeDetails: true })).rejects.toMatchObject({
			code: -352,
		});
	});

	it('a remark whose detail will not come (-404) is delivered without details, with the reason; the rest go on', async () => {
		const client = simClient(ctx, { retry: { retries: 0 } });
		const { mark } = await client.pollNewRemarks(undefined);
		const gone = ctx.sim.addRemark({ msg: 'deleted', uname: 'x' });
		ctx.sim.addRemark({ msg: 'fine', uname: '小红', mid: 888 });
		ctx.sim.injectFault({
			type: 'code',
			code: -404,
			path: '/x/web/elec/remark/detail',
			query: { id: String(gone.id) },
			times: 1,
		});
		const result = await client.pollNewRemarks(mark, { includeDetails: true });
		expect(result.remarks.map((r) => [r.msg, r.detailError?.code])).toEqual([
			['deleted', -404],
			['fine', undefined],
		]);
		expect(result.remarks[0].detailError?.message).toContain('Not found');
		expect(result.remarks[1].uname).toBe('小红');
		// The mark moved past both: the next poll starts after them.
		expect((await client.pollNewRemarks(result.mark)).remarks).toEqual([]);
	});

	it('100 polls with random faults and arrivals emit every remark exactly once, in order', async () => {
		const random = mulberry32(20261123);
		const client = simClient(ctx);
		let mark: RemarkMark | undefined;
		const added: number[] = [];
		const emitted: number[] = [];
		let failures = 0;
		const kinds: Fault[] = [
			{ type: 'http412' },
			{ type: 'code', code: -352 },
			{ type: 'http500' },
			{ type: 'html' },
			{ type: 'drop' },
			{ type: 'code', code: -799 },
		];
		for (let poll = 0; poll < 100; poll++) {
			const arrivals = random() < 0.15 ? 13 + Math.floor(random() * 20) : Math.floor(random() * 4);
			for (let i = 0; i < arrivals; i++) added.push(ctx.sim.addRemark({ msg: `p${poll}-${i}` }).id);
			if (random() < 0.4) {
				const kind = kinds[Math.floor(random() * kinds.length)];
				// 1..3 faults are absorbed by the retries; 4..6 make the poll fail.
				ctx.sim.injectFault({
					...kind,
					path: random() < 0.7 ? LIST : '/x/web/elec/remark/detail',
					times: 1 + Math.floor(random() * 6),
				});
			}
			try {
				const result = await client.pollNewRemarks(mark, { includeDetails: random() < 0.3 });
				emitted.push(...result.remarks.map((r) => r.id));
				if (result.primed) added.length = 0;
				mark = result.mark;
			} catch {
				failures++;
			}
		}
		ctx.sim.clearFaults();
		const last = await client.pollNewRemarks(mark);
		emitted.push(...last.remarks.map((r) => r.id));

		expect(failures).toBeGreaterThan(0);
		expect(added.length).toBeGreaterThan(100);
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(emitted).toEqual(added);
	});
});
