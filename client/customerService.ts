/**
 * Customer service (客服消息): session heartbeat and file upload. Page: customer-service-msg.txt.
 */
import { BilibiliValidationError, unexpectedAnswer } from './errors';
import { isObject, nonEmptyString } from './shape';
import type { Endpoint } from './transport/hosts';
import type { FileData } from './transport/multipart';
import type { Transport } from './transport/transport';
import {
	describe,
	headerSafe,
	integerInRange,
	nonEmptyText,
	positiveId,
	type Id,
} from './validate';

export const CUSTOMER_SERVICE_ENDPOINTS = {
	heartbeat: {
		name: 'customerService.heartbeat',
		method: 'GET',
		host: 'customerservice',
		path: '/x/custom/session_svr/v1/heart_beat',
	},
	uploadFile: {
		name: 'customerService.uploadFile',
		method: 'POST',
		host: 'customerservice',
		path: '/x/custom/msg_svr/v1/upload',
	},
} satisfies Record<string, Endpoint>;

/** 仅支持上传300M内的文件 */
export const UPLOAD_MAX_BYTES = 300 * 1024 * 1024;
/** 上传的文件 15 分钟内有效 */
export const UPLOAD_URL_VALID_MS = 15 * 60_000;

export interface Heartbeat {
	/** `ok`; the endpoint answers both msg and message. */
	msg?: string;
	message?: string;
}

export interface UploadParams {
	/** The file: a Buffer, or a stream (any async iterable of bytes, e.g. a Readable) of known `size`. */
	file: FileData;
	/** Byte length; required when `file` is a stream. */
	size?: number;
	filename: string;
	/** Uploader's mid; defaults to the DedeUserID cookie. */
	mid?: Id;
	contentType?: string;
	/** Aborts the upload wherever it is; the stream is closed either way. */
	signal?: AbortSignal;
}

export interface UploadResult {
	key: string;
	/** Download URL, valid for 15 minutes. */
	url: string;
	/** When `url` stops working (ISO 8601). */
	expires_at: string;
}

export function customerServiceApi(t: Transport) {
	return {
		async heartbeat(signal?: AbortSignal): Promise<Heartbeat> {
			const env = await t.request(CUSTOMER_SERVICE_ENDPOINTS.heartbeat, {
				query: { build: 0, mobi_app: 'web' },
				signal,
			});
			return { msg: env.msg, message: env.message };
		},

		/** Uploads a file; a stream handed in is always closed, whether the upload succeeds, fails or is refused. */
		async uploadFile(params: UploadParams): Promise<UploadResult> {
			const file = isObject(params) ? params.file : undefined;
			try {
				return await upload(params, file);
			} finally {
				closeStream(file);
			}
		},
	};

	async function upload(params: UploadParams, file: unknown): Promise<UploadResult> {
		const isBuffer = Buffer.isBuffer(file);
		if (!isBuffer && !isByteStream(file)) {
			throw new BilibiliValidationError('file', 'a Buffer or a readable stream', describe(file));
		}
		const size = isBuffer
			? file.length
			: integerInRange('size (bytes of the file stream)', params.size, 0);
		if (size > UPLOAD_MAX_BYTES) {
			throw new BilibiliValidationError(
				'file',
				`at most 300 MB (${UPLOAD_MAX_BYTES} bytes)`,
				`${size} bytes`,
			);
		}
		// Only the base name is sent: a path says nothing Bilibili needs and may say too much.
		const filename = headerSafe('filename', baseName(nonEmptyText('filename', params.filename)));
		const contentType = headerSafe('contentType', params.contentType || 'application/octet-stream');
		const midSource = params.mid === undefined || params.mid === '' ? t.dedeUserId : params.mid;
		if (midSource === undefined) {
			throw new BilibiliValidationError(
				'mid',
				'the uploader mid, or the DedeUserID cookie to take it from',
				'nothing',
			);
		}
		const mid = positiveId('mid', midSource);
		const ep = CUSTOMER_SERVICE_ENDPOINTS.uploadFile;
		const env = await t.request(ep, {
			multipart: {
				fields: { filename, mid },
				file: { field: 'file', filename, contentType, data: file, size },
			},
			signal: params.signal,
		});
		const data = env.data;
		if (!isObject(data) || !nonEmptyString(data.key) || !nonEmptyString(data.url))
			throw unexpectedAnswer(ep.name, 'no key or url in data');
		return {
			key: data.key,
			url: data.url,
			expires_at: new Date(Date.now() + UPLOAD_URL_VALID_MS).toISOString(),
		};
	}
}

function isByteStream(value: unknown): value is AsyncIterable<Uint8Array> {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
	);
}

/** Destroys a stream (a Node.js Readable) that is still open, so its file descriptor is freed. */
function closeStream(file: unknown): void {
	const stream = file as { destroy?: () => void; destroyed?: boolean } | undefined;
	if (stream && typeof stream.destroy === 'function' && !stream.destroyed) stream.destroy();
}

/** The last path segment, whether the path was written with / or \\. */
function baseName(name: string): string {
	const base = name.trim().split(/[\\/]/).pop()!.trim();
	if (base === '' || base === '.' || base === '..')
		throw new BilibiliValidationError('filename', 'a file name', describe(name));
	return base;
}

export type CustomerServiceApi = ReturnType<typeof customerServiceApi>;
