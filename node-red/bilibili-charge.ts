/** bilibili-charge: charge with B-coins, create a QR pay code, read its status, leave a charge message. */
import { renderQrCode } from '../index';
import { chargeParams, pngFields, registerAction } from './action';
import type { NodeAPI } from './types';

export = function register(RED: NodeAPI): void {
	registerAction(RED, 'bilibili-charge', {
		chargeWithBcoin: async (ctx) =>
			ctx.client.charge.chargeWithBcoin(chargeParams(ctx.param, true), ctx.signal),
		async createQrPay(ctx) {
			// A QR code spends the fan's money, not this account's B-coins, unless the box (or msg) says so.
			const code = await ctx.client.charge.createQrPay(chargeParams(ctx.param, false), ctx.signal);
			const { png } = await renderQrCode(code.qr_code_url, ['png']);
			return { ...code, ...pngFields(png) };
		},
		getQrPayStatus: async (ctx) =>
			ctx.client.charge.getQrPayStatus(ctx.param('qr_token') as string),
		async sendChargeMessage(ctx) {
			const order_no = ctx.param('order_no') as string;
			const message = ctx.param('message') as string;
			await ctx.client.charge.sendChargeMessage({ order_no, message }, ctx.signal);
			return { success: true, order_no, message };
		},
	});
};
