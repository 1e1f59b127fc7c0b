/**
 * An answer's body as text, after its content coding (gzip, deflate, br). Decoded here rather than by
 * axios so the size limit counts the decoded bytes, an empty body labelled with a coding (a 412 with
 * Content-Length: 0) keeps its status, and deflate is read with or without its zlib header.
 */
import zlib from 'node:zlib';
import { AnswerTooLargeError } from '../transport/runtime';

const CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

export function decodeAnswer(raw: Buffer, encoding: string | undefined, limit: number): string {
	const coding = (encoding ?? '').trim().toLowerCase();
	let bytes = raw;
	// Codings other than these (none that Bilibili sends) are handed on as they came, as before.
	if (raw.length > 0 && CODINGS.has(coding)) {
		const options = { maxOutputLength: limit };
		try {
			if (coding === 'gzip' || coding === 'x-gzip') bytes = zlib.gunzipSync(raw, options);
			else if (coding === 'br') bytes = zlib.brotliDecompressSync(raw, options);
			// Servers send deflate both as RFC 1950 (zlib header) and raw RFC 1951; the first byte tells.
			else
				bytes =
					(raw[0] & 0x0f) === 8 && ((raw[0] << 8) | raw[1]) % 31 === 0
						? zlib.inflateSync(raw, options)
						: zlib.inflateRawSync(raw, options);
		} catch (err) {
			if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
				throw new AnswerTooLargeError(limit);
			throw Object.assign(
				new Error(
					`the answer could not be decoded (${coding}): ${(err as Error).message ?? 'corrupt data'}`,
				),
				{ code: 'ERR_ANSWER_DECODING' },
			);
		}
	}
	if (bytes.length > limit) throw new AnswerTooLargeError(limit);
	let text = bytes.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	return text;
}
