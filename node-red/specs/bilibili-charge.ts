/** bilibili-charge, declared once: the editor, the runtime reads and saved-flow upgrades follow. */
import { defineNode } from '../fields';
import { CHARGE_FIELDS } from './charge';

export default defineNode({
	type: 'bilibili-charge',
	category: 'bilibili',
	version: 2,
	migrations: {},
	area: 'charge',
	defaultOperation: 'chargeWithBcoin',
	fields: {
		...CHARGE_FIELDS,
		qr_token: { type: 'text', default: '' },
		order_no: { type: 'text', default: '' },
		message: { type: 'text', default: '' },
	},
});
