/**
 * Renders a QR pay URL as PNG, SVG or terminal text, with no runtime dependency: the matrix comes from
 * the bundled encoder (vendor/qrcode.ts), the PNG is written here (1-bit greyscale, stored deflate
 * blocks: a few kilobytes, and no zlib needed).
 */
import type { QrMatrix } from './vendor/qrcode';

export type QrFormat = 'png' | 'svg' | 'terminal';

export interface RenderedQr {
	png?: Buffer;
	svg?: string;
	terminal?: string;
}

const MARGIN = 2;
const PNG_WIDTH = 320;

export async function renderQrCode(
	text: string,
	formats: readonly QrFormat[] = ['png'],
): Promise<RenderedQr> {
	// Loaded on first use, so importing the nodes stays fast.
	const { encodeQr } = await import('./vendor/qrcode');
	const matrix = encodeQr(text);
	const out: RenderedQr = {};
	if (formats.includes('png')) out.png = toPng(matrix);
	if (formats.includes('svg')) out.svg = toSvg(matrix);
	if (formats.includes('terminal')) out.terminal = toTerminal(matrix);
	return out;
}

const dark = (m: QrMatrix, row: number, col: number): boolean =>
	row >= 0 && col >= 0 && row < m.size && col < m.size && m.data[row * m.size + col] === 1;

function toPng(m: QrMatrix): Buffer {
	const modules = m.size + 2 * MARGIN;
	const scale = Math.max(1, Math.floor(PNG_WIDTH / modules));
	const width = modules * scale;
	const rowBytes = Math.ceil(width / 8);
	// Each row: filter byte 0, then 1 bit per pixel, 1 = white in greyscale.
	const raw = Buffer.alloc((rowBytes + 1) * width);
	for (let y = 0; y < width; y++) {
		const base = y * (rowBytes + 1) + 1;
		for (let x = 0; x < width; x++) {
			if (!dark(m, Math.floor(y / scale) - MARGIN, Math.floor(x / scale) - MARGIN))
				raw[base + (x >> 3)] |= 0x80 >> (x & 7);
		}
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(width, 4);
	header[8] = 1; // bit depth
	header[9] = 0; // greyscale
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', zlibStored(raw)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

/** A zlib stream of stored (uncompressed) deflate blocks. */
function zlibStored(data: Buffer): Buffer {
	const parts: Buffer[] = [Buffer.from([0x78, 0x01])];
	for (let offset = 0; offset < data.length || offset === 0; offset += 0xffff) {
		const block = data.subarray(offset, offset + 0xffff);
		const last = offset + 0xffff >= data.length;
		const head = Buffer.alloc(5);
		head[0] = last ? 1 : 0;
		head.writeUInt16LE(block.length, 1);
		head.writeUInt16LE(~block.length & 0xffff, 3);
		parts.push(head, block);
		if (last) break;
	}
	let a = 1;
	let b = 0;
	for (const byte of data) {
		a = (a + byte) % 65521;
		b = (b + a) % 65521;
	}
	const adler = Buffer.alloc(4);
	adler.writeUInt32BE(((b << 16) | a) >>> 0, 0);
	parts.push(adler);
	return Buffer.concat(parts);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(data: Buffer): number {
	let c = 0xffffffff;
	for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function toSvg(m: QrMatrix): string {
	const size = m.size + 2 * MARGIN;
	let path = '';
	for (let row = 0; row < m.size; row++) {
		for (let col = 0; col < m.size; col++)
			if (dark(m, row, col)) path += `M${col + MARGIN} ${row + MARGIN}h1v1h-1z`;
	}
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><path fill="#fff" d="M0 0h${size}v${size}H0z"/><path fill="#000" d="${path}"/></svg>\n`;
}

/** Two rows per line with half blocks, light modules drawn as blocks so it scans on a dark terminal. */
function toTerminal(m: QrMatrix): string {
	const lines: string[] = [];
	for (let row = -MARGIN; row < m.size + MARGIN; row += 2) {
		let line = '';
		for (let col = -MARGIN; col < m.size + MARGIN; col++) {
			const top = !dark(m, row, col);
			const bottom = row + 1 < m.size + MARGIN && !dark(m, row + 1, col);
			line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
		}
		lines.push(line);
	}
	return lines.join('\n') + '\n';
}
