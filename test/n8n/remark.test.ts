import { readWorkflow, runWorkflow } from '../../dev/n8nEngine';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const creds = () => ({ bilibiliApi: { ...ctx.sim.credentials, baseUrl: ctx.url } });
const day = (d: string, i = 0) => Date.parse(`${d}T12:00:00+08:00`) + i;

describe('Bilibili Remark node in a workflow', () => {
	it('Get Many honours the limit (by expression) and Return All pages through a date range', async () => {
		ctx.sim.addRemark({ msg: 'old', ctime: day('2024-01-01') });
		for (let i = 0; i < 15; i++) ctx.sim.addRemark({ msg: `m${i}`, ctime: day('2024-03-01', i) });
		const result = await runWorkflow(readWorkflow('remark-list.workflow.json'), {
			credentials: creds(),
			input: [{ json: { limit: 3, begin: '2024-02-01T00:00:00+08:00' } }],
		});
		expect(result.output('Get Many').map((i) => i.json.msg)).toEqual(['m14', 'm13', 'm12']);
		const all = result.output('Get All In Range');
		expect(all).toHaveLength(15);
		expect(all[14].json.msg).toBe('m0');
		expect(all.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('Get adds the sender; Reply thanks each item by its own expression', async () => {
		const a = ctx.sim.addRemark({ msg: '加油', uname: '小明' });
		const b = ctx.sim.addRemark({ msg: '好看', uname: '小红' });
		const result = await runWorkflow(readWorkflow('remark-reply.workflow.json'), {
			credentials: creds(),
			input: [{ json: { id: a.id, who: '小明' } }, { json: { id: String(b.id), who: '小红' } }],
		});
		expect(result.output('Get').map((i) => i.json.uname)).toEqual(['小明', '小红']);
		expect(result.output('Reply').map((i) => i.json)).toEqual([
			{ success: true, id: String(a.id), msg: '谢谢小明的充电!' },
			{ success: true, id: String(b.id), msg: '谢谢小红的充电!' },
		]);
		expect(ctx.sim.state.findRemark(b.id)).toMatchObject({
			state: 1,
			reply_msg: '谢谢小红的充电!',
		});
	});

	it('sends the day picked in the date filter, whatever the time zone n8n runs in', async () => {
		const zone = process.env.TZ;
		process.env.TZ = 'Asia/Tokyo';
		try {
			// n8n's date picker gives the local midnight of the picked day, without an offset.
			await runWorkflow(readWorkflow('remark-list.workflow.json'), {
				credentials: creds(),
				input: [{ json: { limit: 1, begin: '2026-01-01T00:00:00' } }],
			});
		} finally {
			if (zone === undefined) delete process.env.TZ;
			else process.env.TZ = zone;
		}
		// "Get Many" has no date filter; "Get All In Range" sends the picked day.
		const ranged = ctx.sim
			.requestsTo('/x/web/elec/remark/list')
			.filter((r) => r.query.end === '2050-01-01');
		expect(ranged.map((r) => r.query.begin)).toEqual(['2026-01-01']);
	});

	it('refuses a non-numeric remark id before any request', async () => {
		const result = await runWorkflow(readWorkflow('remark-reply.workflow.json'), {
			credentials: creds(),
			input: [{ json: { id: 'abc', who: 'x' } }],
		});
		expect(result.error('Get')?.message).toBe(
			'Invalid Remark ID: expected a positive integer (numeric strings accepted), got "abc"',
		);
		expect(ctx.sim.requests.filter((r) => r.path.includes('/remark/'))).toHaveLength(0);
	});
});
