import { VersionedNodeType } from 'n8n-workflow';
import { versioned, type NodeBase } from '../shared/description';
import { BilibiliChargeV1 } from './v1/BilibiliChargeV1.node';

const NODE: NodeBase = {
	displayName: 'Bilibili Charge',
	name: 'bilibiliCharge',
	group: 'output',
	description: 'Charge a creator (UP) with B-coins or a QR code, and leave a charge message',
};

/** n8n's versioned-node layout: each typeVersion in its own folder, beside the others. */
export class BilibiliCharge extends VersionedNodeType {
	constructor() {
		super(...versioned(NODE, { 1: BilibiliChargeV1 }));
	}
}
