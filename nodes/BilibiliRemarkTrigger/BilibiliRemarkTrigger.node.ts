import { VersionedNodeType } from 'n8n-workflow';
import { versioned, type NodeBase } from '../shared/description';
import { BilibiliRemarkTriggerV1 } from './v1/BilibiliRemarkTriggerV1.node';

const NODE: NodeBase = {
	displayName: 'Bilibili Remark Trigger',
	name: 'bilibiliRemarkTrigger',
	group: 'trigger',
	description: 'Starts the workflow for every new charge remark you receive, oldest first',
};

/** n8n's versioned-node layout: each typeVersion in its own folder, beside the others. */
export class BilibiliRemarkTrigger extends VersionedNodeType {
	constructor() {
		super(...versioned(NODE, { 1: BilibiliRemarkTriggerV1 }));
	}
}
