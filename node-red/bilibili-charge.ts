/** bilibili-charge: charge with B-coins, create a QR pay code, read its status, leave a charge message. */
import { renderQrCode, type ChargeParams } from '../index';
import { pngFields, registerAction, type ActionContext } from './action';
import type { NodeAPI } from './types';

function chargeParams({ param }: ActionContext): ChargeParams {
	const otype = (param('otype') ?? 'up') as ChargeParams['otype'];
	const prior = param('is_bp_remains_prior', 'preferBalance');
	return {
		up_mid: param('up_mid') as string,
		bp_num: param('bp_num') as number,
		otype,
		oid: otype === 'archive' ? (param('oid') as string) : undefined,
		is_bp_remains_prior: prior === undefined ? true : prior === true || prior === 'true',
	};
}

export = function register(RED: NodeAPI): void {
	registerAction(RED, 'bilibili-charge', {
		chargeWithBcoin: async (ctx) => ctx.client.charge.chargeWithBcoin(chargeParams(ctx)),
		async createQrPay(ctx) {
			const code = await ctx.client.charge.createQrPay(chargeParams(ctx));
			const { png } = await renderQrCode(code.qr_code_url, ['png']);
			return { ...code, ...pngFields(png) };
		},
		getQrPayStatus: async (ctx) => ctx.client.charge.getQrPayStatus(ctx.param('qr_token') as string),
		async sendChargeMessage(ctx) {
			const order_no = ctx.param('order_no') as string;
			const message = ctx.param('message') as string;
			await ctx.client.charge.sendChargeMessage({ order_no, message });
			return { success: true, order_no, message };
		},
	});
};
