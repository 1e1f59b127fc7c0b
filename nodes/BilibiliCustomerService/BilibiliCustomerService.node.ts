import { VersionedNodeType } from 'n8n-workflow';
import { versioned, type NodeBase } from '../shared/description';
import { BilibiliCustomerServiceV1 } from './v1/BilibiliCustomerServiceV1.node';

const NODE: NodeBase = {
	displayName: 'Bilibili Customer Service',
	name: 'bilibiliCustomerService',
	group: 'output',
	description: 'Bilibili customer service: session heartbeat and file upload',
};

/** n8n's versioned-node layout: each typeVersion in its own folder, beside the others. */
export class BilibiliCustomerService extends VersionedNodeType {
	constructor() {
		super(...versioned(NODE, { 1: BilibiliCustomerServiceV1 }));
	}
}
