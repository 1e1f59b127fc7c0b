import { useSimulator } from '../helpers/sim';
import { loadNode, useRuntime } from './redHelper';

const ctx = useSimulator();
useRuntime();
const load = (config: Record<string, unknown>) =>
	loadNode(ctx.sim, ctx.url, 'bilibili-remark', config);

describe('bilibili-remark in Node-RED', () => {
	it('lists one page, or every page with msg.all', async () => {
		for (let i = 0; i < 15; i++) ctx.sim.addRemark({ msg: `m${i}` });
		const { node, out } = await load({ operation: 'list', ps: 12 });
		node.receive({});
		const page = (await out.next()).payload as {
			list: Array<{ msg: string }>;
			page: { total: number };
		};
		expect(page.list).toHaveLength(12);
		expect(page.page.total).toBe(15);
		node.receive({ all: true });
		const all = (await out.next(2)).payload as Array<{ msg: string }>;
		expect(all.map((r) => r.msg)).toEqual(Array.from({ length: 15 }, (_, i) => `m${14 - i}`));
	});

	it('gets a detail and replies, id and text from msg', async () => {
		const remark = ctx.sim.addRemark({ msg: '加油', uname: '小明' });
		const { node, out } = await load({ operation: 'msg' });
		node.receive({ operation: 'detail', id: remark.id });
		expect((await out.next()).payload).toMatchObject({ uname: '小明', msg: '加油' });
		node.receive({ operation: 'reply', id: String(remark.id), message: '谢谢!' });
		expect((await out.next(2)).payload).toEqual({
			success: true,
			id: String(remark.id),
			msg: '谢谢!',
		});
		expect(ctx.sim.state.findRemark(remark.id)).toMatchObject({ state: 1, reply_msg: '谢谢!' });
	});

	it('gets a detail and replies with the Remark ID set in the editor (remarkId: "id" is the node\'s own)', async () => {
		const remark = ctx.sim.addRemark({ msg: '加油', uname: '小红' });
		const { node, out } = await load({ operation: 'detail', remarkId: String(remark.id) });
		node.receive({});
		expect((await out.next()).payload).toMatchObject({ id: remark.id, uname: '小红' });
	});

	it('replies to the Remark ID set in the editor', async () => {
		const remark = ctx.sim.addRemark({ msg: '加油', uname: '小红' });
		const { node, out } = await load({
			operation: 'reply',
			remarkId: String(remark.id),
			message: '谢谢你',
		});
		node.receive({});
		expect((await out.next()).payload).toEqual({
			success: true,
			id: String(remark.id),
			msg: '谢谢你',
		});
		expect(ctx.sim.state.findRemark(remark.id)).toMatchObject({ state: 1, reply_msg: '谢谢你' });
	});

	it('explains bad paging and a Bilibili error via Catch', async () => {
		const { node, errorMessage } = await load({ operation: 'msg' });
		node.receive({ operation: 'list', ps: 13 });
		expect(await errorMessage()).toContain(
			'Invalid "Page size (1–12)" (ps): expected an integer from 1 to 12, got 13',
		);
		node.receive({ operation: 'reply', id: 1, message: 'x' });
		expect(await errorMessage(2)).toContain('Bilibili -400 on remarks.reply');
		expect(ctx.sim.requests.filter((r) => r.path.endsWith('/list'))).toHaveLength(0);
	});

	it('refuses an unknown msg.operation', async () => {
		const { node, errorMessage } = await load({ operation: 'msg' });
		node.receive({ operation: 'delete' });
		expect(await errorMessage()).toContain(
			'Unknown operation "delete": use one of list, detail, reply',
		);
	});
});
