/** bilibili-account: the nine account operations. */
import { registerAction } from './action';
import type { NodeAPI } from './types';

export = function register(RED: NodeAPI): void {
	registerAction(RED, 'bilibili-account', {
		getProfile: async ({ client }) => client.account.getProfile(),
		getDailyExpTasks: async ({ client }) => client.account.getDailyExpTasks(),
		getTodayCoinExp: async ({ client }) => client.account.getTodayCoinExp(),
		getVipInfo: async ({ client }) => client.account.getVipInfo(),
		getSecurityInfo: async ({ client }) => client.account.getSecurityInfo(),
		getRealnameStatus: async ({ client }) => client.account.getRealnameStatus(),
		getRealnameDetails: async ({ client }) => client.account.getRealnameDetails(),
		getCoinLog: async ({ client }) => client.account.getCoinLog(),
		async updateSignature({ client, msg, param }) {
			const user_sign = (param('signature') ?? (typeof msg.payload === 'string' ? msg.payload : '')) as string;
			await client.account.updateSignature(user_sign);
			return { success: true, user_sign };
		},
	});
};
