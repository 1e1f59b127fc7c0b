/** The fields shared by the charge node and the QR pay node: whom to charge and how much. */
import { CHARGE_SOURCES } from '../../client/charge';

export const CHARGE_FIELDS = {
	up_mid: { type: 'id', default: '' },
	bp_num: { type: 'number', default: 2, integer: true, min: 2, max: 9999 },
	otype: { type: 'select', options: CHARGE_SOURCES, default: 'up' },
	oid: { type: 'id', default: '' },
	// Stored as preferBalance since the first release (saved flows and the editor keep the name).
	preferBalance: { type: 'boolean', default: false, msg: 'is_bp_remains_prior' },
} as const;
