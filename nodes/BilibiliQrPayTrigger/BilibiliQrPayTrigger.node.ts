import { VersionedNodeType } from 'n8n-workflow';
import { versioned, type NodeBase } from '../shared/description';
import { BilibiliQrPayTriggerV1 } from './v1/BilibiliQrPayTriggerV1.node';

const NODE: NodeBase = {
	displayName: 'Bilibili QR Pay Trigger',
	name: 'bilibiliQrPayTrigger',
	group: 'trigger',
	description:
		'Offers a charge QR code and starts the workflow when it is created, scanned, paid or expires',
};

/** n8n's versioned-node layout: each typeVersion in its own folder, beside the others. */
export class BilibiliQrPayTrigger extends VersionedNodeType {
	constructor() {
		super(...versioned(NODE, { 1: BilibiliQrPayTriggerV1 }));
	}
}
