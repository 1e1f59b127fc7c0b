import { VersionedNodeType } from 'n8n-workflow';
import { versioned, type NodeBase } from '../shared/description';
import { BilibiliRemarkV1 } from './v1/BilibiliRemarkV1.node';

const NODE: NodeBase = {
	displayName: 'Bilibili Remark',
	name: 'bilibiliRemark',
	group: 'transform',
	description: 'Charge remarks you received as a creator: list, get with sender details, reply',
};

/** n8n's versioned-node layout: each typeVersion in its own folder, beside the others. */
export class BilibiliRemark extends VersionedNodeType {
	constructor() {
		super(...versioned(NODE, { 1: BilibiliRemarkV1 }));
	}
}
