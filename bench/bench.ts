/**
 * `npm run bench`: measures against the simulator on loopback, side by side in one run, prints a table
 * with each figure's floor, and writes bench-results.json. Benchmarks are not tests: nothing asserts
 * a timing.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchColdStart } from './coldstart';
import { benchNodeRed } from './nodeRed';
import { benchOverhead } from './overhead';
import { benchPolling } from './polling';
import { round } from './stats';
import { benchThroughput } from './throughput';
import { benchUpload } from './upload';

function table(title: string, rows: Array<Record<string, unknown>>): void {
	process.stdout.write(`\n${title}\n`);
	const keys = Object.keys(rows[0]);
	const cells = rows.map((r) =>
		keys.map((k) => (typeof r[k] === 'number' ? String(round(r[k] as number)) : String(r[k]))),
	);
	const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i].length)));
	const line = (values: string[]) => `  ${values.map((v, i) => v.padEnd(widths[i])).join('  ')}\n`;
	process.stdout.write(
		line(keys) + line(widths.map((w) => '-'.repeat(w))) + cells.map(line).join(''),
	);
}

async function main() {
	const sizeMB = Number(process.env.BENCH_UPLOAD_MB ?? 256);
	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
	process.stdout.write(`n8n-nodes-bilibili benchmark — ${new Date().toISOString()}\n${machine}\n`);

	const polling = await benchPolling();
	table(
		'1. Remark polling: requests per poll (floor: 1 list page per 12 new, plus 1 detail per remark with details)',
		polling as never,
	);

	const overhead = await benchOverhead();
	table(
		'2. Client overhead: median ms per call, client vs bare axios (keep-alive) and raw node:http + JSON.parse (floor: ratio to axios 1.1; connections floor 1)',
		overhead as never,
	);

	const upload = await benchUpload(sizeMB);
	table(
		`3. Upload memory: peak RSS above baseline, ${sizeMB} MB file (floor for stream: near constant, far below the file size)`,
		upload as never,
	);

	const coldStart = benchColdStart();
	table(
		'4. Cold start: median ms to import (floor: ratio near 1; the QR encoder must not load)',
		coldStart as never,
	);

	const throughput = await benchThroughput();
	table(
		'5. Throughput: 1000 Remark Reply items, n8n-core workflow vs direct client calls (floor: ratio 1)',
		[throughput] as never,
	);

	const nodeRed = await benchNodeRed();
	table(
		"6. Node-RED: 1000 replies through bilibili-remark vs Node-RED's http request node (cookie and csrf from a change node), one Node-RED, pacing off (floor: ratio 1.15)",
		[nodeRed] as never,
	);

	const results = {
		date: new Date().toISOString(),
		machine,
		polling,
		overhead,
		upload,
		coldStart,
		throughput,
		nodeRed,
	};
	const out = path.resolve(process.cwd(), 'bench-results.json');
	writeFileSync(out, JSON.stringify(results, null, 2));
	process.stdout.write(`\nWritten to ${out}\n`);
}

main().catch((err) => {
	process.stderr.write(`${(err as Error).stack}\n`);
	process.exit(1);
});
