/** bilibili-customer-service: heartbeat; upload from msg.payload (Buffer) or msg.filename (streamed from disk). */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BilibiliValidationError } from '../index';
import { describe } from '../client/validate';
import { registerAction } from './action';
import spec from './specs/bilibili-customer-service';
import type { NodeAPI } from './types';

export = function register(RED: NodeAPI): void {
	registerAction(RED, spec, {
		heartbeat: async ({ client }) => client.customerService.heartbeat(),
		async uploadFile({ client, msg, field, signal }) {
			const filePath = field('filename');
			const name = field('uploadName');
			if (filePath) {
				const info = await stat(filePath).catch(() => undefined);
				if (!info?.isFile())
					throw new BilibiliValidationError(
						'msg.filename',
						'the path of an existing file',
						JSON.stringify(filePath),
					);
				const filename = name || path.basename(filePath);
				const result = await client.customerService.uploadFile({
					file: createReadStream(filePath),
					size: info.size,
					filename,
					signal,
				});
				return { ...result, filename, size: info.size };
			}
			if (!Buffer.isBuffer(msg.payload)) {
				throw new BilibiliValidationError(
					'msg.payload',
					'a Buffer with the file (or msg.filename with a file path)',
					describe(msg.payload),
				);
			}
			const filename = name || 'file';
			const result = await client.customerService.uploadFile({
				file: msg.payload,
				filename,
				signal,
			});
			return { ...result, filename, size: msg.payload.length };
		},
	});
};
