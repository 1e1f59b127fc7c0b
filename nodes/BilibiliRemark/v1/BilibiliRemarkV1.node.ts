import { actionNodeVersion } from '../../shared/description';
import { REMARK_OPERATIONS, REMARK_PROPERTIES } from './operations';

/** typeVersion 1, as saved workflows use it: a later version goes beside it in v2/, leaving this as it is. */
export const BilibiliRemarkV1 = actionNodeVersion({
	version: 1,
	operations: REMARK_OPERATIONS,
	defaultOperation: 'getMany',
	properties: REMARK_PROPERTIES,
});
