/** The Customer Service node's operations (客服消息). */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { FileData } from '../../../client';
import type { OperationEntry } from '../../shared/execute';
import { sendOnce } from '../../shared/writeMemo';
import type { N8nOperation } from '../../../client/operations';

/** One entry per operation of the client's `customerService` area (client/operations.ts), under n8n's saved names. */
export const CUSTOMER_SERVICE_OPERATIONS: Record<
	N8nOperation<'customerService'>,
	OperationEntry
> = {
	heartbeat: {
		name: 'Heartbeat',
		value: 'heartbeat',
		description: 'Keep the customer-service session alive',
		action: 'Send a heartbeat',
		async run(client) {
			return (await client.customerService.heartbeat(
				this.getExecutionCancelSignal(),
			)) as IDataObject;
		},
	},
	uploadFile: {
		name: 'Upload File',
		value: 'uploadFile',
		description:
			'Upload a file from a binary field (up to 300 MB); the download URL works for 15 minutes',
		action: 'Upload a file',
		async run(client, i) {
			const field = this.getNodeParameter('binaryPropertyName', i) as string;
			const binary = this.helpers.assertBinaryData(i, field);
			const filename =
				(this.getNodeParameter('fileName', i, '') as string) || binary.fileName || 'file';
			// Uploaded once per node run: n8n's retries get the first upload's key and URL back.
			return sendOnce(this, i, async () => {
				let file: FileData;
				let size: number;
				if (binary.id) {
					// n8n keeps this file on disk (or in S3): stream it instead of loading it into memory.
					file = await this.helpers.getBinaryStream(binary.id);
					size = (await this.helpers.getBinaryMetadata(binary.id)).fileSize;
				} else {
					file = await this.helpers.getBinaryDataBuffer(i, field);
					size = file.length;
				}
				const result = await client.customerService.uploadFile({
					file,
					size,
					filename,
					contentType: binary.mimeType,
					signal: this.getExecutionCancelSignal(),
				});
				return { ...result, filename, size } as IDataObject;
			});
		},
	},
};

export const CUSTOMER_SERVICE_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field containing the file to upload',
		displayOptions: { show: { operation: ['uploadFile'] } },
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'screenshot.png',
		description: "Name sent with the file (filename). Empty: the binary data's own file name.",
		displayOptions: { show: { operation: ['uploadFile'] } },
	},
];
