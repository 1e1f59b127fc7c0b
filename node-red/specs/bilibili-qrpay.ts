/** bilibili-qrpay, declared once. */
import { defineNode } from '../fields';
import { CHARGE_FIELDS } from './charge';

export default defineNode({
	type: 'bilibili-qrpay',
	category: 'bilibili',
	version: 2,
	migrations: {},
	fields: {
		...CHARGE_FIELDS,
		// Seconds between status checks; below 1 is raised to 1 at run time, so the editor allows it.
		interval: { type: 'number', default: 3, msg: false },
	},
});
