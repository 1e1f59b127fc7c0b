/** bilibili-remark-in, declared once. */
import { defineNode } from '../fields';

export default defineNode({
	type: 'bilibili-remark-in',
	category: 'bilibili',
	version: 2,
	migrations: {},
	fields: {
		// Seconds; raised to 15 at run time (Bilibili answers fast pollers with risk control).
		interval: { type: 'number', default: 60, msg: false },
		includeDetails: { type: 'boolean', default: true, msg: false },
		emitLatestOnStart: { type: 'boolean', default: false, msg: false },
	},
});
