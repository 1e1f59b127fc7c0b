import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useSimulator } from '../helpers/sim';

// n8n's default binary mode keeps files on disk; point it at a temporary folder before n8n-core loads.
const dir = mkdtempSync(path.join(tmpdir(), 'n8n-bilibili-'));
process.env.N8N_USER_FOLDER = dir;
process.env.N8N_BINARY_DATA_STORAGE_PATH = path.join(dir, 'binaryData');
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';

const ctx = useSimulator();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Upload File with n8n keeping binary data on disk', () => {
	it('streams the file from n8n binary storage to Bilibili', async () => {
		const { Container } = await import('@n8n/di');
		const { BinaryDataService } = await import('n8n-core');
		const { readWorkflow, runWorkflow } = await import('../../dev/n8nEngine');
		const service = Container.get(BinaryDataService);
		await service.init();

		const file = path.join(dir, 'clip.mp4');
		writeFileSync(file, Buffer.alloc(200 * 1024, 9));
		const stored = await service.store(
			{ type: 'execution', workflowId: 'test', executionId: '1' },
			createReadStream(file),
			{
				data: '',
				mimeType: 'video/mp4',
				fileName: 'clip.mp4',
			},
		);
		expect(stored.id).toMatch(/^filesystem/);

		const result = await runWorkflow(readWorkflow('customer-service.workflow.json'), {
			credentials: { bilibiliApi: { ...ctx.sim.credentials, baseUrl: ctx.url } },
			input: [{ json: { field: 'data', name: '' }, binary: { data: stored } }],
		});
		expect(result.output('Upload File')[0].json).toMatchObject({
			filename: 'clip.mp4',
			size: 200 * 1024,
			key: expect.stringMatching(/\.mp4$/),
		});
		expect(ctx.sim.requestsTo('/x/custom/msg_svr/v1/upload')[0].uploadBytes).toBe(200 * 1024);
	});
});
