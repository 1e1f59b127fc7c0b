/**
 * The package's nodes as AI Agent tools, run by n8n-core as n8n 2's agents run them: the agent node
 * answers with an engine request naming the tool and its arguments, WorkflowExecute runs the tool node
 * (each call a new run, its input carrying a new toolCallId) and resumes the agent with the result.
 * The agent here is a stand-in (the LangChain nodes are not a dependency) that calls the tool again
 * with the same arguments after a failure, as an agent does when a tool reports an error.
 */
import type {
	EngineRequest,
	EngineResponse,
	IDataObject,
	IExecuteFunctions,
	INodeType,
	IWorkflowBase,
	NodeOutput,
} from 'n8n-workflow';
import { runWorkflow } from '../../dev/n8nEngine';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const creds = () => ({
	bilibiliApi: { ...ctx.sim.credentials, baseUrl: ctx.url, minIntervalMs: 0 },
});
const REPLY = '/x/web/elec/remark/reply';
const SIGN = '/x/member/web/sign/update';

type Args = IDataObject;
type Calls = { calls: Args[]; results: unknown[] };

/**
 * An agent that calls `tool` once per argument set, one after the other (each time the engine resumes
 * it with the previous call's result), then outputs what each call returned.
 */
function agent(tool: string, args: Args[]): INodeType {
	const step = (response?: EngineResponse<Calls>): NodeOutput => {
		// The first run gets an empty response (no metadata of ours yet).
		const done: Calls = response?.metadata?.calls ? response.metadata : { calls: [], results: [] };
		const results = [
			...done.results,
			...(response?.actionResponses ?? []).map((r) => r.data?.data?.ai_tool?.[0]?.[0]?.json),
		];
		const next = args[done.calls.length];
		if (!next) return [[{ json: { results } as IDataObject }]];
		const calls = [...done.calls, next];
		const request: EngineRequest<Calls> = {
			actions: [
				{
					actionType: 'ExecutionNodeAction',
					nodeName: tool,
					input: next,
					type: 'ai_tool',
					id: `call_${calls.length}`,
					metadata: { calls, results },
				},
			],
			metadata: { calls, results },
		};
		return request as NodeOutput;
	};
	return {
		description: {
			displayName: 'Agent stand-in',
			name: 'agentStandIn',
			group: ['transform'],
			version: 1,
			description: 'stand-in',
			defaults: { name: 'Agent' },
			inputs: ['main', 'ai_tool'],
			outputs: ['main'],
			properties: [],
		} as unknown as INodeType['description'],
		async execute(this: IExecuteFunctions, response?: EngineResponse) {
			return step(response as EngineResponse<Calls> | undefined);
		},
	};
}

/** Manual Trigger → Agent, with one of the package's nodes as its tool, Retry On Fail on. */
function agentWorkflow(tool: { name: string; type: string; parameters: Record<string, unknown> }) {
	return {
		name: 'agent with a Bilibili tool',
		nodes: [
			{
				parameters: {},
				id: 't0',
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
			},
			{
				parameters: {},
				id: 'a0',
				name: 'Agent',
				type: 'test.agentStandIn',
				typeVersion: 1,
				position: [200, 0],
			},
			{
				id: 'tool0',
				name: tool.name,
				type: `n8n-nodes-bilibili.${tool.type}`,
				typeVersion: 1,
				position: [200, 200],
				parameters: tool.parameters,
				retryOnFail: true,
				maxTries: 2,
				waitBetweenTries: 0,
				credentials: { bilibiliApi: { id: '1', name: 'Bilibili account' } },
			},
		],
		connections: {
			Manual: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			[tool.name]: { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;
}

describe('a write as an AI Agent tool, called again after its answer was lost', () => {
	it('a reply is sent once: the next call with the same arguments gets the first outcome', async () => {
		const remark = ctx.sim.addRemark({ msg: '加油' });
		ctx.sim.injectFault({ type: 'drop', after: true, path: REPLY });
		const args = { remark: String(remark.id), text: '谢谢你的充电!' };
		const result = await runWorkflow(
			agentWorkflow({
				name: 'Reply',
				type: 'bilibiliRemark',
				parameters: {
					operation: 'reply',
					remarkId: "={{ $fromAI('remark', 'the remark id', 'string') }}",
					message: "={{ $fromAI('text', 'the reply', 'string') }}",
				},
			}),
			{ credentials: creds(), extraTypes: { 'test.agentStandIn': agent('Reply', [args, args]) } },
		);
		const output = result.output('Agent')[0]?.json as { results: Array<{ error?: string }> };
		expect(output.results).toHaveLength(2);
		for (const r of output.results) expect(r.error).toContain('may have reached Bilibili');
		expect(ctx.sim.requestsTo(REPLY)).toHaveLength(1);
		expect(ctx.sim.state.findRemark(remark.id)?.reply_msg).toBe('谢谢你的充电!');
		// Two calls, each a run of its own: the memo joined them.
		expect(result.run.data.resultData.runData.Reply).toHaveLength(2);
	});

	it('a signature is sent once too; a call with other arguments is new work and is sent', async () => {
		ctx.sim.injectFault({ type: 'drop', after: true, path: SIGN });
		const first = { sign: '今天也在充电' };
		const other = { sign: '明天也充电' };
		const result = await runWorkflow(
			agentWorkflow({
				name: 'Signature',
				type: 'bilibiliAccount',
				parameters: {
					operation: 'updateSignature',
					signature: "={{ $fromAI('sign', 'the new signature', 'string') }}",
				},
			}),
			{
				credentials: creds(),
				extraTypes: { 'test.agentStandIn': agent('Signature', [first, first, other]) },
			},
		);
		const output = result.output('Agent')[0]?.json as { results: unknown[] };
		expect(output.results).toHaveLength(3);
		expect(ctx.sim.requestsTo(SIGN).map((r) => r.form.user_sign)).toEqual([
			'今天也在充电',
			'明天也充电',
		]);
	});
});
