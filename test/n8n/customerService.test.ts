import { readWorkflow, runWorkflow } from '../../dev/n8nEngine';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator({ uploadLimitBytes: 64 * 1024 });
const creds = () => ({ bilibiliApi: { ...ctx.sim.credentials, baseUrl: ctx.url } });
const UPLOAD = '/x/custom/msg_svr/v1/upload';

const fileItem = (bytes: Buffer, json: Record<string, string>, field = 'data') => ({
	json,
	binary: {
		[field]: {
			data: bytes.toString('base64'),
			mimeType: 'image/png',
			fileName: 'shot.png',
			fileSize: `${bytes.length} B`,
		},
	},
});

describe('Bilibili Customer Service node in a workflow', () => {
	it('beats the heart and uploads each item from its own binary field', async () => {
		const a = Buffer.alloc(3000, 1);
		const b = Buffer.alloc(5000, 2);
		const result = await runWorkflow(readWorkflow('customer-service.workflow.json'), {
			credentials: creds(),
			input: [
				fileItem(a, { field: 'data', name: '' }),
				fileItem(b, { field: 'attachment', name: '截图.png' }, 'attachment'),
			],
		});
		expect(result.output('Heartbeat')[0].json).toEqual({ msg: 'ok', message: 'ok' });
		const uploaded = result.output('Upload File').map((i) => i.json);
		expect(uploaded.map((j) => [j.filename, j.size])).toEqual([
			['shot.png', 3000],
			['截图.png', 5000],
		]);
		expect(uploaded[0]).toMatchObject({
			key: expect.stringMatching(/\.png$/),
			url: expect.stringContaining('X-Amz-Expires=900'),
			expires_at: expect.any(String),
		});
		expect(ctx.sim.requestsTo(UPLOAD).map((r) => r.uploadBytes)).toEqual([3000, 5000]);
	});

	it('names a missing binary field clearly and sends nothing', async () => {
		const result = await runWorkflow(readWorkflow('customer-service.workflow.json'), {
			credentials: creds(),
			input: [{ json: { field: 'data', name: '' } }],
		});
		expect(result.error('Upload File')?.message).toMatch(/binary/i);
		expect(result.error('Upload File')?.message).toContain('data');
		expect(ctx.sim.requestsTo(UPLOAD)).toHaveLength(0);
	});

	it('passes on 1000011 for a file over the limit, explained', async () => {
		const result = await runWorkflow(readWorkflow('customer-service.workflow.json'), {
			credentials: creds(),
			input: [fileItem(Buffer.alloc(65 * 1024), { field: 'data', name: '' })],
		});
		expect(result.error('Upload File')).toMatchObject({
			name: 'NodeApiError',
			message: expect.stringContaining('1000011'),
		});
	});
});
