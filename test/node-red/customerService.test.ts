import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useSimulator } from '../helpers/sim';
import { loadNode, useRuntime } from './redHelper';

const ctx = useSimulator({ uploadLimitBytes: 512 * 1024 });
useRuntime();
const load = (config: Record<string, unknown>) =>
	loadNode(ctx.sim, ctx.url, 'bilibili-customer-service', config);
const UPLOAD = '/x/custom/msg_svr/v1/upload';
const dir = mkdtempSync(path.join(tmpdir(), 'bilibili-red-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bilibili-customer-service in Node-RED', () => {
	it('beats the heart', async () => {
		const { node, out } = await load({ operation: 'heartbeat' });
		node.receive({});
		expect((await out.next()).payload).toEqual({ msg: 'ok', message: 'ok' });
	});

	it('uploads msg.payload as a Buffer, and a file from msg.filename by stream', async () => {
		const file = path.join(dir, 'clip.mp4');
		writeFileSync(file, Buffer.alloc(300 * 1024, 3));
		const { node, out } = await load({ operation: 'uploadFile' });
		node.receive({ payload: Buffer.from('hello'), uploadName: 'note.txt' });
		expect((await out.next()).payload).toMatchObject({
			filename: 'note.txt',
			size: 5,
			key: expect.stringMatching(/\.txt$/),
		});
		node.receive({ filename: file });
		expect((await out.next(2)).payload).toMatchObject({
			filename: 'clip.mp4',
			size: 300 * 1024,
			url: expect.any(String),
		});
		expect(ctx.sim.requestsTo(UPLOAD).map((r) => r.uploadBytes)).toEqual([5, 300 * 1024]);
	});

	it.each([
		[
			{ filename: '/no/such/file.bin' },
			'Invalid msg.filename: expected the path of an existing file, got "/no/such/file.bin"',
		],
		[
			{ payload: 'not a buffer' },
			'Invalid msg.payload: expected a Buffer with the file (or msg.filename with a file path), got "not a buffer"',
		],
	])('refuses %j before sending', async (msg, message) => {
		const { node, errorMessage } = await load({ operation: 'uploadFile' });
		node.receive(msg);
		expect(await errorMessage()).toBe(`BilibiliValidationError: ${message}`);
		expect(ctx.sim.requestsTo(UPLOAD)).toHaveLength(0);
	});
});
