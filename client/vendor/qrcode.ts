/**
 * The QR matrix encoder of `qrcode` (its core only: no renderers, no file or stream code). The build
 * bundles it into this file's output (gulpfile.js), so neither package needs `qrcode` at runtime.
 */
import core from 'qrcode/lib/core/qrcode';

export interface QrMatrix {
	size: number;
	/** 1 for a dark module, row by row. */
	data: Uint8Array;
}

export function encodeQr(text: string): QrMatrix {
	const { modules } = core.create(text, { errorCorrectionLevel: 'M' });
	return { size: modules.size, data: modules.data };
}
