/** bilibili-customer-service, declared once. */
import { defineNode } from '../fields';

export default defineNode({
	type: 'bilibili-customer-service',
	category: 'bilibili',
	version: 2,
	migrations: {},
	area: 'customerService',
	defaultOperation: 'uploadFile',
	fields: {
		// A path on disk, as Node-RED's file nodes name it (msg.filename); streamed, not read whole.
		filename: { type: 'text', default: '', param: 'file' },
		uploadName: { type: 'text', default: '', param: 'filename' },
	},
});
