import { actionNodeVersion } from '../../shared/description';
import { ACCOUNT_OPERATIONS, ACCOUNT_PROPERTIES } from './operations';

/** typeVersion 1, as saved workflows use it: a later version goes beside it in v2/, leaving this as it is. */
export const BilibiliAccountV1 = actionNodeVersion({
	version: 1,
	operations: ACCOUNT_OPERATIONS,
	defaultOperation: 'getProfile',
	properties: ACCOUNT_PROPERTIES,
});
