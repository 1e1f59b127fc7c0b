/** bilibili-charge: charge with B-coins, create a QR pay code, read its status, leave a charge message. */
import { renderQrCode } from '../index';
import { chargeParams, pngFields, registerAction } from './action';
import spec from './specs/bilibili-charge';
import type { NodeAPI } from './types';

export = function register(RED: NodeAPI): void {
	registerAction(RED, spec, {
		chargeWithBcoin: async (ctx) =>
			ctx.client.charge.chargeWithBcoin(chargeParams(ctx.field, true), ctx.signal),
		async createQrPay(ctx) {
			// A QR code spends the fan's money, not this account's B-coins, unless the box (or msg) says so.
			const code = await ctx.client.charge.createQrPay(chargeParams(ctx.field, false), ctx.signal);
			const { png } = await renderQrCode(code.qr_code_url, ['png']);
			return { ...code, ...pngFields(png) };
		},
		getQrPayStatus: async (ctx) => ctx.client.charge.getQrPayStatus(ctx.field('qr_token') ?? ''),
		async sendChargeMessage(ctx) {
			const order_no = ctx.field('order_no') ?? '';
			const message = ctx.field('message') ?? '';
			await ctx.client.charge.sendChargeMessage({ order_no, message }, ctx.signal);
			return { success: true, order_no, message };
		},
	});
};
