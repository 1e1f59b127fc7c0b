/**
 * A multipart/form-data body of known length, produced part by part, so a large file is sent chunk by
 * chunk with an exact Content-Length and never held whole in memory (where the runtime can stream).
 */
import { randomBytes } from 'node:crypto';

/** A file to send: a Buffer, or any async iterable of bytes (a Node.js Readable is one). */
export type FileData = Buffer | AsyncIterable<Uint8Array | string>;

export interface MultipartFile {
	field: string;
	filename: string;
	contentType: string;
	data: FileData;
	/** Byte length; required for a stream. */
	size: number;
}

export interface MultipartBody {
	/**
	 * The body, in order; yields exactly `length` bytes or throws. `data` stands in for the file's
	 * bytes when they come through something derived from it (a stream's compose()).
	 */
	parts(data?: FileData): AsyncGenerator<Buffer>;
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

	async function* parts(data: FileData = file.data): AsyncGenerator<Buffer> {
		yield headBuf;
		if (Buffer.isBuffer(data)) {
			yield data;
		} else {
			let sent = 0;
			try {
				for await (const chunk of data) {
					const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
					sent += buf.length;
					// Stopping the loop closes the file, as on every other early end.
					if (sent > file.size) break;
					yield buf;
				}
			} catch (err) {
				// The file's own code (a DNS failure of an S3 read, say) must not read as a request that
				// never left: part of the body may be on its way already.
				throw Object.assign(
					new Error(`The file could not be read: ${(err as Error)?.message ?? String(err)}`),
					{ code: 'ERR_FILE_READ' },
				);
			}
			if (sent > file.size)
				throw new Error(`The file stream gave more than the ${file.size} bytes announced`);
			if (sent !== file.size)
				throw new Error(`The file stream ended after ${sent} of the ${file.size} bytes announced`);
		}
		yield tailBuf;
	}

	return {
		parts,
		length: headBuf.length + file.size + tailBuf.length,
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}

/**
 * The whole body in one Buffer, for a runtime that cannot send a stream: allocated once at its known
 * length and filled part by part, so the file is held once, not twice (chunks plus a concatenation).
 */
export async function multipartBuffer(body: MultipartBody): Promise<Buffer> {
	const whole = Buffer.allocUnsafe(body.length);
	let at = 0;
	for await (const part of body.parts()) at += part.copy(whole, at);
	return whole;
}

/** Quotes a header parameter the way browsers do (RFC 7578 §4.2: escape quotes and line breaks). */
function quote(text: string): string {
	return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
