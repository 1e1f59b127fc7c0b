import { benchPolling } from '../../bench/polling';

// Request counts are deterministic, so the bench's first figure doubles as a test of polling cost.
it('remark polling stays at its floor (1 list page per 12 new; exactly 12 needs one more to see the mark)', async () => {
	const rows = await benchPolling();
	for (const row of rows) {
		const extra = row.newRemarks === 12 ? 1 : 0;
		expect({ ...row, requests: row.requests - extra }).toEqual({ ...row, requests: row.floor });
	}
	expect(rows).toHaveLength(12);
});
