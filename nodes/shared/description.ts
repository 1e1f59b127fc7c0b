/**
 * What every Bilibili node's description has in common (version, the credential, connections,
 * defaults, the operation parameter), so a node file declares only what is its own. The icon, subtitle
 * and tool flag stay in each node file, where n8n's linter looks for them.
 */
import { NodeConnectionTypes, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import { operationProperty, type OperationEntry } from './execute';

const CREDENTIALS = [{ name: 'bilibiliApi', required: true }];

interface NodeSpec {
	displayName: string;
	name: string;
	description: string;
	properties: INodeProperties[];
}

/** An action node: one item in, its operation's result out. */
export function actionNodeDescription(
	spec: NodeSpec & {
		group: 'input' | 'output' | 'transform';
		operations: Record<string, OperationEntry>;
		defaultOperation: string;
	},
): Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool'> {
	return {
		displayName: spec.displayName,
		name: spec.name,
		group: [spec.group],
		version: 1,
		description: spec.description,
		defaults: { name: spec.displayName },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: CREDENTIALS,
		properties: [operationProperty(spec.operations, spec.defaultOperation), ...spec.properties],
	};
}

/** A trigger node: no input; `polling` for one n8n polls on its schedule. */
export function triggerNodeDescription(
	spec: NodeSpec & { polling?: true },
): Omit<INodeTypeDescription, 'icon' | 'subtitle'> {
	return {
		displayName: spec.displayName,
		name: spec.name,
		group: ['trigger'],
		version: 1,
		description: spec.description,
		defaults: { name: spec.displayName },
		...(spec.polling ? { polling: true } : {}),
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: CREDENTIALS,
		properties: spec.properties,
	};
}
