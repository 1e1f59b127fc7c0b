/**
 * Runs workflows in-process with n8n-core's WorkflowExecute, loading this package the way n8n loads a
 * community package (PackageDirectoryLoader over the package root, built dist/ files). Used by the n8n
 * tests and the benchmark.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	PackageDirectoryLoader,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialsExpressionResolveValues,
	type ICredentialType,
	type IExecuteData,
	type IHttpRequestHelper,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type WorkflowExecuteMode,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type IVersionedNodeType,
} from 'n8n-workflow';

export { PACKAGE_ROOT } from './packageRoot';
import { N8N_PACKAGE_DIR, PACKAGE_ROOT } from './packageRoot';

/**
 * n8n-nodes-base is not a dependency, so the workflows' Manual Trigger is this pass-through: it hands
 * the test's input items to the next node, as the real one hands over its single empty item.
 */
class ManualTriggerStandIn implements INodeType {
	description = {
		displayName: 'When clicking "Test workflow"',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'stand-in',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

let loaderPromise: Promise<PackageDirectoryLoader> | undefined;

/** The package as n8n sees it; loaded once per test file. */
export function loadPackage(): Promise<PackageDirectoryLoader> {
	loaderPromise ??= (async () => {
		const loader = new PackageDirectoryLoader(N8N_PACKAGE_DIR);
		await loader.loadAll();
		return loader;
	})();
	return loaderPromise;
}

class NodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}
	getByName(type: string) {
		return this.types[type];
	}
	getByNameAndVersion(type: string, version?: number): INodeType {
		const found = this.types[type];
		if (!found) throw new Error(`Unknown node type ${type}`);
		return NodeHelpers.getVersionedNodeType(found, version);
	}
	getKnownTypes() {
		return {};
	}
}

/**
 * The credentials service of a run: `credentials` is the store (n8n's database), read and written as
 * n8n's CredentialsHelper (packages/cli/src/credentials-helper.ts) reads and writes its database:
 * `getDecrypted` hands out a copy with the type's defaults applied and expressions resolved, and
 * `preAuthentication` / `updateCredentials` follow n8n's logic line for line (see there).
 */
class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	getParentTypes() {
		return [];
	}
	/** What n8n's own CredentialsHelper does for a credential whose `authenticate` is a function. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestParams: IHttpRequestOptions,
	) {
		const type = await credentialType(typeName);
		if (typeof type?.authenticate === 'function')
			return type.authenticate(credentials, requestParams);
		return requestParams;
	}
	/**
	 * n8n's CredentialsHelper.preAuthentication (packages/cli/src/credentials-helper.ts): only for a
	 * type with a hidden `expirable` property, and only while that property is empty, or the
	 * credentials expired (after a 401), or in a credential test (n8n's mock noOp node with `temp`).
	 * The output is stored only if it holds the expirable property; a field stored as an expression
	 * keeps its expression (n8n does not write back what it resolved to).
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = await credentialType(typeName);
		const expirable = type?.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!type || expirable?.name === undefined) return undefined;
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials)
			return undefined;
		const output = (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			const nodeCredentials = node.credentials[type.name];
			const storedData = { ...(this.credentials[type.name] ?? {}) };
			const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
			for (const [key, value] of Object.entries(output))
				if (key === expirable.name || !isExpression(storedData[key])) dataToPersist[key] = value;
			await this.updateCredentials(nodeCredentials, type.name, dataToPersist);
			return Object.assign(credentials, output);
		}
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}
	/** n8n's getDecrypted → applyDefaultsAndOverwrites, without overwrites or external secrets. */
	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		typeName: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		_raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = { ...(this.credentials[typeName] ?? {}) };
		const type = await credentialType(typeName);
		if (!type) return stored;
		let data = {
			// Fields no property declares (older tests' extras) are kept as n8n keeps unknown JSON.
			...stored,
			...(NodeHelpers.getNodeParameters(
				type.properties,
				stored as INodeParameters,
				true,
				false,
				null,
				null,
			) as ICredentialDataDecryptedObject),
		};
		if (expressionResolveValues && Object.values(data).some(isExpression))
			data = expressionResolveValues.workflow.expression.getParameterValue(
				data as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				{},
				executeData,
				false,
				data,
			) as ICredentialDataDecryptedObject;
		return data;
	}
	/** n8n's updateCredentials: the whole data replaces what is stored. */
	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		typeName: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.credentials[typeName] = { ...data };
	}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
}

async function credentialType(name: string): Promise<ICredentialType | undefined> {
	return (await loadPackage()).credentialTypes[name]?.type;
}

/** Node types a test adds beside the package's (an AI Agent stand-in), by full type name. */
export type ExtraNodeTypes = Record<string, INodeType>;

export async function nodeTypes(extra: ExtraNodeTypes = {}): Promise<NodeTypes> {
	const loader = await loadPackage();
	const types: Record<string, INodeType | IVersionedNodeType> = {
		'n8n-nodes-base.manualTrigger': new ManualTriggerStandIn(),
		...extra,
	};
	for (const [name, { type }] of Object.entries(loader.nodeTypes))
		types[`${loader.packageName}.${name}`] = type;
	return new NodeTypes(types);
}

/** A workflow holding just one of this package's nodes (a trigger, activated on its own). */
export function singleNodeWorkflow(
	nodeName: string,
	type: string,
	parameters: Record<string, unknown>,
): IWorkflowBase {
	return {
		name: nodeName,
		nodes: [
			{
				parameters,
				id: 'n1',
				name: nodeName,
				type: `n8n-nodes-bilibili.${type}`,
				typeVersion: 1,
				position: [0, 0],
				credentials: { bilibiliApi: { id: '1', name: 'Bilibili account' } },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;
}

export function readWorkflow(file: string): IWorkflowBase {
	return JSON.parse(
		readFileSync(path.join(PACKAGE_ROOT, 'test/n8n/workflows', file), 'utf8'),
	) as IWorkflowBase;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node's first run, main output 0 (or the given output, e.g. 1 for the error output). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error a node stopped the workflow with, if any. */
	error(nodeName: string): (Error & Record<string, unknown>) | undefined;
}

/** Engine-side services for one run; credentials answer from the given map. */
export function additionalDataFor(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	// Only what a node run needs from the host: lifecycle hooks and credentials. The other services n8n
	// injects (secrets, data tables…) are absent, as in an n8n without them configured.
	const data = { hooks } as unknown as IWorkflowExecuteAdditionalData;
	data.credentialsHelper = new CredentialsHelper(credentials);
	return data;
}

export async function workflowFrom(
	workflowData: IWorkflowBase,
	staticData?: IDataObject,
	extraTypes?: ExtraNodeTypes,
): Promise<Workflow> {
	return new Workflow({
		id: workflowData.id ?? 'test',
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes: await nodeTypes(extraTypes),
		settings: workflowData.settings,
		staticData,
	});
}

let executions = 0;

/** Executes a workflow from its Manual Trigger with the given input items. */
export async function runWorkflow(
	workflowData: IWorkflowBase,
	options: {
		credentials: Record<string, ICredentialDataDecryptedObject>;
		input?: INodeExecutionData[];
		startAt?: string;
		/** Called once the run has started, with what the Stop button (or a workflow timeout) calls. */
		onStart?: (cancel: () => void) => void;
		/** Node types beside the package's, for nodes the workflow uses that n8n-nodes-base would give. */
		extraTypes?: ExtraNodeTypes;
	},
): Promise<RunResult> {
	const workflow = await workflowFrom(workflowData, undefined, options.extraTypes);
	// By default from the Manual Trigger; `startAt` starts at a node as if its trigger had fired with `input`.
	const start = workflowData.nodes.find((n) =>
		options.startAt ? n.name === options.startAt : n.type === 'n8n-nodes-base.manualTrigger',
	);
	if (!start) throw new Error(`workflow has no ${options.startAt ?? 'Manual Trigger'}`);

	// Each run its own execution id, as n8n gives one (the write memo keys on it).
	const executionId = String(++executions);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	let finished!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));
	const additionalData = additionalDataFor(options.credentials, hooks);
	additionalData.executionId = executionId;

	const runExecutionData: IRunExecutionData = {
		resultData: { runData: {} },
		executionData: {
			metadata: {},
			contextData: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				{ node: start, data: { main: [options.input ?? [{ json: {} }]] }, source: null },
			],
		},
	} as unknown as IRunExecutionData;
	const running = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	options.onStart?.(() => running.cancel());
	await running;
	const run = await done;
	const runData = run.data.resultData.runData;
	return {
		run,
		output: (name, index = 0) => runData[name]?.[0]?.data?.main?.[index] ?? [],
		error: (name) =>
			runData[name]?.[0]?.error as RunResult['error'] extends (n: string) => infer E ? E : never,
	};
}

/**
 * A real n8n-core ExecuteContext for one Bilibili Account node with the given credentials: what a node
 * of this package gets from n8n when it runs. The client contract tests send through it, so the n8n
 * runtime is exercised by n8n's own request helpers and credential authentication.
 */
export async function executeContextFor(
	credentials: ICredentialDataDecryptedObject,
	abortSignal?: AbortSignal,
): Promise<IExecuteFunctions> {
	const workflow = await workflowFrom(
		singleNodeWorkflow('Bilibili Account', 'bilibiliAccount', { operation: 'getProfile' }),
	);
	const node = workflow.getNode('Bilibili Account')!;
	const inputData = { main: [[{ json: {} }]] };
	const runExecutionData = {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			nodeExecutionStack: [],
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
		},
	} as unknown as IRunExecutionData;
	return new ExecuteContext(
		workflow,
		node,
		additionalDataFor({ bilibiliApi: credentials }),
		'manual',
		runExecutionData,
		0,
		[{ json: {} }],
		inputData,
		{ node, data: inputData, source: null },
		[],
		abortSignal,
	);
}
