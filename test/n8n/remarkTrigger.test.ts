import { PollContext } from 'n8n-core';
import type { IDataObject, INodeExecutionData, INodeType, WorkflowExecuteMode } from 'n8n-workflow';
import { additionalDataFor, singleNodeWorkflow, workflowFrom } from '../../dev/n8nEngine';
import { fakeDateOnly, GATE_SCHEDULE, secondsWithRequests } from '../helpers/gateClock';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();

// Each test's workflow is its own: the trigger's failure gate lives for the process, by workflow and node.
let workflows = 0;
const workflowData = (includeDetails: boolean, id: string) => ({
	...singleNodeWorkflow('Bilibili Remark Trigger', 'bilibiliRemarkTrigger', { includeDetails }),
	id,
});
const LIST = '/x/web/elec/remark/list';

/** An active workflow whose trigger n8n polls; `restart()` carries static data over, as n8n does. */
async function activeTrigger(includeDetails = false) {
	const id = `remarks-${++workflows}`;
	let staticData: IDataObject = {};
	let workflow = await workflowFrom(workflowData(includeDetails, id), staticData);
	const poll = async (mode: WorkflowExecuteMode = 'trigger'): Promise<INodeExecutionData[]> => {
		const node = workflow.getNode('Bilibili Remark Trigger')!;
		const type = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
		const context = new PollContext(
			workflow,
			node,
			additionalDataFor({ bilibiliApi: { ...ctx.sim.credentials, baseUrl: ctx.url } }),
			mode,
			'activate',
		);
		const result = await type.poll!.call(context);
		return result?.[0] ?? [];
	};
	return {
		poll,
		async restart() {
			staticData = JSON.parse(JSON.stringify(workflow.staticData));
			workflow = await workflowFrom(workflowData(includeDetails, id), staticData);
		},
	};
}

describe('Bilibili Remark Trigger, polled through n8n-core', () => {
	it('primes on the first poll, then emits each new remark once, oldest first, across a restart', async () => {
		ctx.sim.addRemark({ msg: 'before activation' });
		const trigger = await activeTrigger();
		expect(await trigger.poll()).toEqual([]);
		expect(await trigger.poll()).toEqual([]);

		for (let i = 0; i < 14; i++) ctx.sim.addRemark({ msg: `new ${i}` });
		expect((await trigger.poll()).map((i) => i.json.msg)).toEqual(
			Array.from({ length: 14 }, (_, i) => `new ${i}`),
		);
		expect(await trigger.poll()).toEqual([]);

		ctx.sim.addRemark({ msg: 'while n8n restarted' });
		await trigger.restart();
		expect((await trigger.poll()).map((i) => i.json.msg)).toEqual(['while n8n restarted']);
	});

	it('a remark whose detail is gone (-404) is emitted without sender details, with the reason; later remarks still come', async () => {
		const trigger = await activeTrigger(true);
		await trigger.poll();
		const gone = ctx.sim.addRemark({ msg: 'deleted later' });
		ctx.sim.addRemark({ msg: 'after it', uname: '小明', mid: 777 });
		ctx.sim.injectFault({
			type: 'code',
			code: -404,
			path: '/x/web/elec/remark/detail',
			query: { id: String(gone.id) },
			times: 1,
		});
		const items = await trigger.poll();
		expect(
			items.map((i) => [
				i.json.msg,
				(i.json.detailError as IDataObject | undefined)?.code ?? null,
				i.json.uname,
			]),
		).toEqual([
			['deleted later', -404, ''],
			['after it', null, '小明'],
		]);
		ctx.sim.addRemark({ msg: 'next' });
		expect((await trigger.poll()).map((i) => i.json.msg)).toEqual(['next']);
	});

	it('a failed poll emits nothing and loses nothing; the next poll within the backoff sends nothing', async () => {
		fakeDateOnly();
		try {
			const trigger = await activeTrigger();
			await trigger.poll();
			ctx.sim.addRemark({ msg: 'a' });
			ctx.sim.injectFault({ type: 'http500', path: LIST, times: 1 });
			const before = ctx.sim.requestsTo(LIST).length;
			await expect(trigger.poll()).rejects.toMatchObject({
				name: 'NodeApiError',
				message: expect.stringContaining('HTTP 500'),
			});
			await expect(trigger.poll()).rejects.toMatchObject({
				message: expect.stringContaining(
					'Paused after 1 failed attempt in a row; nothing was sent',
				),
			});
			expect(ctx.sim.requestsTo(LIST).length - before).toBe(1);
			ctx.sim.addRemark({ msg: 'b' });
			jest.setSystemTime(Date.now() + 2000);
			expect((await trigger.poll()).map((i) => i.json.msg)).toEqual(['a', 'b']);
		} finally {
			jest.useRealTimers();
		}
	});

	it('under a permanent error, polls every second send at most one request per 30 s after three failures', async () => {
		const trigger = await activeTrigger();
		await trigger.poll();
		ctx.sim.injectFault({ type: 'code', code: -352, path: LIST, times: 1000 });
		const sent = await secondsWithRequests(
			() => trigger.poll().catch(() => undefined),
			() => ctx.sim.requestsTo(LIST).length,
		);
		expect(sent).toEqual(GATE_SCHEDULE);
	});

	it('adds sender details when asked', async () => {
		const trigger = await activeTrigger(true);
		await trigger.poll();
		ctx.sim.addRemark({ msg: 'hi', uname: '小明', mid: 777 });
		expect((await trigger.poll()).map((i) => [i.json.uname, i.json.mid])).toEqual([['小明', 777]]);
	});

	it('in manual mode returns the newest remark as a sample without moving the mark', async () => {
		const trigger = await activeTrigger(true);
		await trigger.poll();
		ctx.sim.addRemark({ msg: 'sample', uname: '小红' });
		expect((await trigger.poll('manual')).map((i) => [i.json.msg, i.json.uname])).toEqual([
			['sample', '小红'],
		]);
		expect((await trigger.poll()).map((i) => i.json.msg)).toEqual(['sample']);
	});
});
