/** bilibili-account: the nine account operations. */
import { BilibiliValidationError, describe } from '../index';
import { registerAction } from './action';
import spec from './specs/bilibili-account';
import type { NodeAPI } from './types';

export = function register(RED: NodeAPI): void {
	registerAction(RED, spec, {
		getProfile: async ({ client }) => client.account.getProfile(),
		getDailyExpTasks: async ({ client }) => client.account.getDailyExpTasks(),
		getTodayCoinExp: async ({ client }) => client.account.getTodayCoinExp(),
		getVipInfo: async ({ client }) => client.account.getVipInfo(),
		getSecurityInfo: async ({ client }) => client.account.getSecurityInfo(),
		getRealnameStatus: async ({ client }) => client.account.getRealnameStatus(),
		getRealnameDetails: async ({ client }) => client.account.getRealnameDetails(),
		getCoinLog: async ({ client }) => client.account.getCoinLog(),
		async updateSignature({ client, msg, field, signal }) {
			// Only text is a signature: an Inject node's timestamp must not become an empty signature.
			// An explicit empty string (msg.signature or msg.payload) clears it.
			const fromEditor = field('signature');
			const given = fromEditor ?? (typeof msg.signature === 'string' ? msg.signature : msg.payload);
			if (typeof given !== 'string') {
				throw new BilibiliValidationError(
					'signature',
					'text in the Signature field, msg.signature or msg.payload (an empty string clears the signature)',
					describe(given),
				);
			}
			await client.account.updateSignature(given, signal);
			return { success: true, user_sign: given };
		},
	});
};
