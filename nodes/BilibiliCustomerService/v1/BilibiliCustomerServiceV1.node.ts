import { actionNodeVersion } from '../../shared/description';
import { CUSTOMER_SERVICE_OPERATIONS, CUSTOMER_SERVICE_PROPERTIES } from './operations';

/** typeVersion 1, as saved workflows use it: a later version goes beside it in v2/, leaving this as it is. */
export const BilibiliCustomerServiceV1 = actionNodeVersion({
	version: 1,
	operations: CUSTOMER_SERVICE_OPERATIONS,
	defaultOperation: 'uploadFile',
	properties: CUSTOMER_SERVICE_PROPERTIES,
});
