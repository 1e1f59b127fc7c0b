/** bilibili-config, declared once; its QR login rows and hooks are the editor's only hand-written part. */
import { BALANCE_FLOOR_RANGE, SPENDING_LIMIT_RANGE } from '../../client/spending';
import { defineNode } from '../fields';

export default defineNode({
	type: 'bilibili-config',
	category: 'config',
	version: 2,
	migrations: {},
	fields: {
		DedeUserID: { type: 'id', default: '', msg: false },
		baseUrl: { type: 'text', default: '', msg: false },
		// Added after 0.1.0: Node-RED's own http proxy config node, as its http request node takes it.
		// Empty (and absent) is HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment.
		proxy: { type: 'text', node: 'http proxy', default: '', msg: false },
		// The client's range for rateLimit.minIntervalMs.
		minIntervalMs: { type: 'number', default: 100, integer: true, min: 0, max: 60_000, msg: false },
		maxBcoinPerCharge: {
			type: 'number',
			default: 50,
			integer: true,
			...SPENDING_LIMIT_RANGE,
			msg: false,
		},
		// Added after 0.1.0: a saved account lacks it, which reads as off (the default).
		biliTicket: { type: 'boolean', default: false, msg: false },
		// Added after 0.1.0; empty (and absent) is Bilibili's key. Only a test double has its own.
		refreshPublicKey: { type: 'text', default: '', msg: false },
		maxBcoinPer24h: {
			type: 'number',
			default: 200,
			integer: true,
			...SPENDING_LIMIT_RANGE,
			msg: false,
		},
		// Added after 0.1.0: a saved account lacks it, which reads as 0, off.
		minBcoinBalance: {
			type: 'number',
			default: 0,
			integer: true,
			...BALANCE_FLOOR_RANGE,
			msg: false,
		},
	},
	// refresh_token: from the QR login, for a session refresh (as secret as the cookies).
	credentials: ['SESSDATA', 'bili_jct', 'buvid3', 'refresh_token'],
});
