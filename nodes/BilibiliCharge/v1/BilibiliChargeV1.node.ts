import { actionNodeVersion } from '../../shared/description';
import { CHARGE_OPERATIONS } from './operations';
import { CHARGE_PROPERTIES } from './properties';

/** typeVersion 1, as saved workflows use it: a later version goes beside it in v2/, leaving this as it is. */
export const BilibiliChargeV1 = actionNodeVersion({
	version: 1,
	operations: CHARGE_OPERATIONS,
	defaultOperation: 'chargeWithBcoin',
	properties: CHARGE_PROPERTIES,
});
