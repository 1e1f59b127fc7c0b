import { VersionedNodeType } from 'n8n-workflow';
import { versioned, type NodeBase } from '../shared/description';
import { BilibiliAccountV1 } from './v1/BilibiliAccountV1.node';

const NODE: NodeBase = {
	displayName: 'Bilibili Account',
	name: 'bilibiliAccount',
	group: 'input',
	description:
		'Read your Bilibili account: profile, exp, VIP, security, real-name, coin log; update the signature; refresh the session',
};

/** n8n's versioned-node layout: each typeVersion in its own folder, beside the others. */
export class BilibiliAccount extends VersionedNodeType {
	constructor() {
		super(...versioned(NODE, { 1: BilibiliAccountV1 }));
	}
}
