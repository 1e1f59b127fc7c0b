/** bilibili-account, declared once. */
import { defineNode } from '../fields';

export default defineNode({
	type: 'bilibili-account',
	category: 'bilibili',
	version: 2,
	migrations: {},
	area: 'account',
	defaultOperation: 'getProfile',
	fields: {
		// msg.signature or msg.payload fill it (the node reads them: only text is a signature).
		signature: { type: 'text', default: '', msg: false, param: 'user_sign' },
	},
});
