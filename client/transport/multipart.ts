/**
 * A multipart/form-data body built as a stream of known length, so a large file is sent chunk by
 * chunk with an exact Content-Length and never held whole in memory.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export interface MultipartFile {
	field: string;
	filename: string;
	contentType: string;
	data: Buffer | Readable;
	/** Byte length; required for a stream. */
	size: number;
}

export interface MultipartBody {
	stream: Readable;
	length: number;
	contentType: string;
}

export function buildMultipart(fields: Record<string, string>, file: MultipartFile): MultipartBody {
	const boundary = `----n8nNodesBilibili${randomBytes(12).toString('hex')}`;
	let head = '';
	for (const [name, value] of Object.entries(fields)) {
		head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`;
	}
	head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.filename)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`;
	const headBuf = Buffer.from(head, 'utf8');
	const tailBuf = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');

	async function* parts(): AsyncGenerator<Buffer> {
		yield headBuf;
		if (Buffer.isBuffer(file.data)) {
			yield file.data;
		} else {
			let sent = 0;
			for await (const chunk of file.data) {
				const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
				sent += buf.length;
				if (sent > file.size) throw new Error(`The file stream gave more than the ${file.size} bytes announced`);
				yield buf;
			}
			if (sent !== file.size) throw new Error(`The file stream ended after ${sent} of the ${file.size} bytes announced`);
		}
		yield tailBuf;
	}

	return {
		stream: Readable.from(parts(), { objectMode: false }),
		length: headBuf.length + file.size + tailBuf.length,
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}

/** Quotes a header parameter the way browsers do (RFC 7578 §4.2: escape quotes and line breaks). */
function quote(text: string): string {
	return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
