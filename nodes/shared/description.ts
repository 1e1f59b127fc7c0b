/**
 * What every Bilibili node's description has in common, so a node file declares only what is its own.
 * Each node is an n8n versioned node (VersionedNodeType): the entry file holds the base description
 * (name, icon, group), and each typeVersion lives in its own folder (`v1/`) with its operations and
 * fields, so a version 2 is added beside v1/ without touching what saved workflows use.
 */
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
	type IVersionedNodeType,
} from 'n8n-workflow';
import {
	executeOperations,
	operationProperty,
	operationSubtitle,
	type OperationEntry,
} from './execute';

const CREDENTIALS = [{ name: 'bilibiliApi', required: true }];

/** One icon per theme for every node; n8n resolves the path from the node's entry file. */
const ICON: INodeTypeBaseDescription['icon'] = {
	light: 'file:../../icons/bilibili.svg',
	dark: 'file:../../icons/bilibili.dark.svg',
};

/** What a node's entry file declares of itself. */
export interface NodeBase {
	displayName: string;
	name: string;
	group: 'input' | 'output' | 'transform' | 'trigger';
	description: string;
}

type NodeVersion = new (base: INodeTypeBaseDescription) => INodeType;

/**
 * The arguments of VersionedNodeType's constructor: every version, and the description they share
 * (name, icon, group). The newest version is the one new nodes get.
 */
export function versioned(
	spec: NodeBase,
	versions: Record<number, NodeVersion>,
): [IVersionedNodeType['nodeVersions'], INodeTypeBaseDescription] {
	const base: INodeTypeBaseDescription = { ...spec, icon: ICON, group: [spec.group] };
	const nodeVersions = Object.fromEntries(
		Object.entries(versions).map(([version, Version]) => [version, new Version(base)]),
	);
	return [nodeVersions, base];
}

interface VersionSpec {
	version: number;
	properties: INodeProperties[];
}

/**
 * One version of an action node (also usable as an AI Agent tool): one item in, its operation's
 * result out, each operation run from its table.
 */
export function actionNodeVersion(
	spec: VersionSpec & { operations: Record<string, OperationEntry>; defaultOperation: string },
): NodeVersion {
	return class ActionNodeVersion implements INodeType {
		description: INodeTypeDescription;

		constructor(base: INodeTypeBaseDescription) {
			this.description = {
				...base,
				version: spec.version,
				subtitle: operationSubtitle(spec.operations),
				usableAsTool: true,
				defaults: { name: base.displayName },
				inputs: [NodeConnectionTypes.Main],
				outputs: [NodeConnectionTypes.Main],
				credentials: CREDENTIALS,
				properties: [operationProperty(spec.operations, spec.defaultOperation), ...spec.properties],
			};
		}

		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return executeOperations(this, spec.operations);
		}
	};
}

/** One version of a trigger node: no input; `polling` for one n8n polls on its schedule. */
export function triggerVersion(
	base: INodeTypeBaseDescription,
	spec: VersionSpec & { polling?: true },
): Omit<INodeTypeDescription, 'subtitle'> {
	return {
		...base,
		version: spec.version,
		defaults: { name: base.displayName },
		...(spec.polling ? { polling: true } : {}),
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: CREDENTIALS,
		properties: spec.properties,
	};
}
