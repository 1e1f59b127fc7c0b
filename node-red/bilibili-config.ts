/** bilibili-config: the account's cookies (SESSDATA, bili_jct, buvid3 in Node-RED's encrypted credentials). */
import { BilibiliClient } from '../index';
import type { BilibiliConfigNode, Node, NodeAPI, NodeDef } from './types';

export = function register(RED: NodeAPI): void {
	RED.nodes.registerType(
		'bilibili-config',
		function (this: Node, def: NodeDef) {
			RED.nodes.createNode(this, def);
			const node = this as BilibiliConfigNode;
			node.createClient = () =>
				new BilibiliClient({
					credentials: {
						SESSDATA: node.credentials.SESSDATA ?? '',
						bili_jct: node.credentials.bili_jct || undefined,
						buvid3: node.credentials.buvid3 || undefined,
						DedeUserID: (def.DedeUserID as string) || undefined,
					},
					baseUrl: (def.baseUrl as string) || undefined,
				});
		},
		{ credentials: { SESSDATA: { type: 'password' }, bili_jct: { type: 'password' }, buvid3: { type: 'password' } } },
	);
};
