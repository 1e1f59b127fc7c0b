/** bilibili-remark: list charge remarks (one page or all), one remark's detail, reply. */
import type { Remark } from '../index';
import { registerAction } from './action';
import type { NodeAPI } from './types';

export = function register(RED: NodeAPI): void {
	registerAction(RED, 'bilibili-remark', {
		async list({ client, param }) {
			const range = {
				begin: param('begin') as string | undefined,
				end: param('end') as string | undefined,
			};
			const all = param('all');
			if (all === true || all === 'true') {
				const remarks: Remark[] = [];
				for await (const remark of client.remarks.iterate({
					...range,
					ps: param('ps') as number | undefined,
				}))
					remarks.push(remark);
				return remarks;
			}
			return client.remarks.list({
				...range,
				pn: param('pn') as number | undefined,
				ps: param('ps') as number | undefined,
			});
		},
		// The editor field is remarkId: `id` is the node's own id in Node-RED's editor. msg.id still works.
		detail: async ({ client, param }) => client.remarks.detail(param('id', 'remarkId') as string),
		async reply({ client, param, signal }) {
			const id = param('id', 'remarkId') as string;
			const msg = param('message') as string;
			await client.remarks.reply({ id, msg }, signal);
			return { success: true, id: String(id), msg };
		},
	});
};
