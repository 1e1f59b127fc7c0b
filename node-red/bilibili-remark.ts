/** bilibili-remark: list charge remarks (one page or all), one remark's detail, reply. */
import type { Remark } from '../index';
import { registerAction } from './action';
import spec from './specs/bilibili-remark';
import type { NodeAPI } from './types';

export = function register(RED: NodeAPI): void {
	registerAction(RED, spec, {
		async list({ client, field }) {
			const range = { begin: field('begin'), end: field('end') };
			if (field('all') === true) {
				const remarks: Remark[] = [];
				for await (const remark of client.remarks.iterate({
					...range,
					ps: field('ps'),
				}))
					remarks.push(remark);
				return remarks;
			}
			return client.remarks.list({
				...range,
				pn: field('pn'),
				ps: field('ps'),
			});
		},
		detail: async ({ client, field }) => client.remarks.detail(field('remarkId') ?? ''),
		async reply({ client, field, signal }) {
			const id = field('remarkId') ?? '';
			const msg = field('message') ?? '';
			await client.remarks.reply({ id, msg }, signal);
			return { success: true, id: String(id), msg };
		},
	});
};
