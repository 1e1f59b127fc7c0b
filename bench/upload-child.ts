/**
 * Runs in its own process so its RSS is its own: uploads a file by stream (as the Node-RED node with
 * msg.filename, and the n8n node with binary data on disk, do) or after reading it into a Buffer.
 * Prints the peak RSS above the baseline, in bytes.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { BilibiliClient } from '../index';

async function main() {
	const [mode, file, url, SESSDATA, bili_jct] = process.argv.slice(2);
	const client = new BilibiliClient({
		credentials: { SESSDATA, bili_jct, DedeUserID: '293793435' },
		baseUrl: url,
		rateLimit: false,
	});
	await client.customerService.heartbeat();
	global.gc?.();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
	const size = statSync(file).size;
	if (mode === 'stream')
		await client.customerService.uploadFile({
			file: createReadStream(file),
			size,
			filename: 'bench.bin',
		});
	else await client.customerService.uploadFile({ file: readFileSync(file), filename: 'bench.bin' });
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);
	client.close();
	process.stdout.write(JSON.stringify({ mode, size, peakAboveBaseline: peak - baseline }));
}

void main();
