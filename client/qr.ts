/** Renders a QR pay URL. `qrcode` is loaded on first use so importing the nodes stays fast. */

export type QrFormat = 'png' | 'svg' | 'terminal';

export interface RenderedQr {
	png?: Buffer;
	svg?: string;
	terminal?: string;
}

export async function renderQrCode(text: string, formats: readonly QrFormat[] = ['png']): Promise<RenderedQr> {
	const qrcode = await import('qrcode');
	const out: RenderedQr = {};
	if (formats.includes('png')) out.png = await qrcode.toBuffer(text, { type: 'png', margin: 2, width: 320, errorCorrectionLevel: 'M' });
	if (formats.includes('svg')) out.svg = await qrcode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
	if (formats.includes('terminal')) out.terminal = await qrcode.toString(text, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
	return out;
}
