/**
 * A streaming multipart/form-data reader for the simulator: text fields are kept, file parts are only
 * counted, so a 300 MB upload costs the simulator no memory.
 */
import type { IncomingMessage } from 'node:http';

export interface ParsedUpload {
	fields: Record<string, string>;
	files: Array<{ field: string; filename: string; size: number }>;
}

export function readMultipart(req: IncomingMessage, boundary: string): Promise<ParsedUpload> {
	const delimiter = Buffer.from(`\r\n--${boundary}`);
	const result: ParsedUpload = { fields: {}, files: [] };
	let buf: Buffer = Buffer.from('\r\n');
	let state: 'boundary' | 'headers' | 'done' = 'boundary';
	let part: { field: string; filename?: string; text: Buffer[]; size: number } | undefined;

	const take = (data: Buffer) => {
		if (!part || data.length === 0) return;
		part.size += data.length;
		if (part.filename === undefined) part.text.push(data);
	};
	const close = () => {
		if (!part) return;
		if (part.filename !== undefined)
			result.files.push({ field: part.field, filename: part.filename, size: part.size });
		else result.fields[part.field] = Buffer.concat(part.text).toString('utf8');
		part = undefined;
	};

	const consume = () => {
		for (;;) {
			if (state === 'boundary') {
				const idx = buf.indexOf(delimiter);
				if (idx < 0) {
					const keep = Math.min(buf.length, delimiter.length + 1);
					take(buf.subarray(0, buf.length - keep));
					buf = buf.subarray(buf.length - keep);
					return;
				}
				if (buf.length < idx + delimiter.length + 2) return;
				take(buf.subarray(0, idx));
				close();
				const after = buf.subarray(idx + delimiter.length, idx + delimiter.length + 2).toString();
				buf = buf.subarray(idx + delimiter.length + 2);
				if (after === '--') {
					state = 'done';
					return;
				}
				state = 'headers';
			} else if (state === 'headers') {
				const end = buf.indexOf('\r\n\r\n');
				if (end < 0) {
					if (buf.length > 16 * 1024) throw new Error('multipart part headers too long');
					return;
				}
				const headers = buf.subarray(0, end).toString('utf8');
				buf = buf.subarray(end + 4);
				const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
				const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
				part = { field: name, filename, text: [], size: 0 };
				state = 'boundary';
			} else {
				return;
			}
		}
	};

	return new Promise((resolve, reject) => {
		req.on('data', (chunk: Buffer) => {
			buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
			try {
				consume();
			} catch (err) {
				reject(err);
			}
		});
		req.on('end', () =>
			state === 'done'
				? resolve(result)
				: reject(new Error('multipart body ended before its closing boundary')),
		);
		req.on('error', reject);
	});
}
