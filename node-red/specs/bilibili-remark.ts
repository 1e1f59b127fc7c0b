/** bilibili-remark, declared once. */
import { REMARK_PAGE_MAX } from '../../client/remarks';
import { defineNode } from '../fields';

export default defineNode({
	type: 'bilibili-remark',
	category: 'bilibili',
	version: 2,
	migrations: {},
	area: 'remarks',
	defaultOperation: 'list',
	fields: {
		all: { type: 'boolean', default: false, operations: ['list'] },
		pn: { type: 'number', default: '', editor: false },
		ps: { type: 'number', default: '', integer: true, min: 1, max: REMARK_PAGE_MAX },
		begin: { type: 'text', default: '' },
		end: { type: 'text', default: '' },
		// Not `id`: in Node-RED's editor that is the node's own id. msg.id fills it.
		remarkId: { type: 'id', default: '', msg: 'id' },
		message: { type: 'text', default: '', param: 'msg' },
	},
});
