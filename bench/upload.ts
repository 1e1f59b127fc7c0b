/** Figure 3: peak memory of a large upload, streamed against read into a Buffer first. */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BilibiliSimulator } from '../simulator';

export interface UploadRow {
	mode: 'stream' | 'buffer';
	sizeMB: number;
	peakAboveBaselineMB: number;
}

export async function benchUpload(sizeMB = 256): Promise<UploadRow[]> {
	const dir = mkdtempSync(path.join(tmpdir(), 'bilibili-bench-'));
	const file = path.join(dir, 'upload.bin');
	const fd = openSync(file, 'w');
	const chunk = Buffer.alloc(1024 * 1024, 7);
	for (let i = 0; i < sizeMB; i++) writeSync(fd, chunk);
	closeSync(fd);
	const sim = new BilibiliSimulator();
	const url = await sim.start();
	const rows: UploadRow[] = [];
	try {
		for (const mode of ['stream', 'buffer'] as const) {
			// The child runs while this process serves the simulator, so it must not block the event loop.
			const out = await new Promise<string>((resolve, reject) => {
				execFile(
					process.execPath,
					[
						path.join(__dirname, 'upload-child.js'),
						mode,
						file,
						url,
						sim.credentials.SESSDATA,
						sim.credentials.bili_jct,
					],
					(err, stdout) => (err ? reject(err) : resolve(stdout)),
				);
			});
			const { peakAboveBaseline } = JSON.parse(out) as { peakAboveBaseline: number };
			rows.push({ mode, sizeMB, peakAboveBaselineMB: peakAboveBaseline / 1024 / 1024 });
		}
	} finally {
		await sim.stop();
		rmSync(dir, { recursive: true, force: true });
	}
	return rows;
}
