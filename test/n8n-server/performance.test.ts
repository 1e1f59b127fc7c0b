/**
 * Side by side in one real n8n (docs/performance.md): what a user would use instead is n8n's own HTTP
 * Request node as it is built without this package: the cookies in n8n's own Header Auth credential,
 * csrf in the form. The figures are printed, never asserted: what is asserted
 * is what a user checks (every reply arrived signed, the file arrived whole), and for the upload that
 * the file is held at most once.
 */
import {
	closeSync,
	mkdtempSync,
	openSync,
	readFileSync,
	rmSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { N8N_VERSION, type N8nInstance } from '../../dev/n8nServer';
import { BilibiliSimulator } from '../../simulator';
import { bilibili, credentials, executeWorkflow, itemsWorkflow, setUpStage } from './stage';

jest.setTimeout(20 * 60_000);

const sim = new BilibiliSimulator();
let n8n: N8nInstance;
const REPLY = '/x/web/elec/remark/reply';
const UPLOAD = '/x/custom/msg_svr/v1/upload';
const dir = mkdtempSync(path.join(os.tmpdir(), 'bilibili-perf-'));

/** n8n's own Header Auth credential holding the cookies, as a user without this package keeps them. */
const HEADER_AUTH = { httpHeaderAuth: { id: 'simCookieHeader', name: 'Bilibili cookie header' } };

beforeAll(async () => {
	await sim.start();
	n8n = await setUpStage(sim);
	const { SESSDATA, bili_jct, DedeUserID } = sim.credentials;
	await n8n.import('credentials', [
		{
			...HEADER_AUTH.httpHeaderAuth,
			type: 'httpHeaderAuth',
			data: {
				name: 'Cookie',
				value: `SESSDATA=${SESSDATA}; bili_jct=${bili_jct}; DedeUserID=${DedeUserID}`,
			},
		},
	]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sim.stop();
	rmSync(dir, { recursive: true, force: true });
});

const report = (line: string) => process.stdout.write(`${line}\n`);

describe('n8n execute: 1000 replies beside n8n’s HTTP Request node', () => {
	const ourNode = (name: string, y: number) => ({
		id: name,
		name,
		type: bilibili('bilibiliRemark'),
		typeVersion: 1,
		position: [600, y],
		parameters: { operation: 'reply', remarkId: '={{ $json.id }}', message: '={{ $json.msg }}' },
		credentials: credentials('simGood'),
	});
	const httpNode = (name: string, y: number) => ({
		id: name,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [600, y],
		parameters: {
			method: 'POST',
			url: `${sim.url}${REPLY}`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: {
				parameters: [
					{ name: 'id', value: '={{ $json.id }}' },
					{ name: 'msg', value: '={{ $json.msg }}' },
					{ name: 'csrf', value: sim.credentials.bili_jct },
				],
			},
			options: {},
		},
		credentials: HEADER_AUTH,
	});

	it('every reply arrives once, signed, through both; the times are printed', async () => {
		sim.reset();
		const remark = sim.addRemark({ msg: 'bench' });
		const items = Array.from({ length: 1000 }, (_, i) => ({ id: remark.id, msg: `thanks ${i}` }));
		// Two rounds, taking turns (branches run top to bottom), so neither side runs only cold.
		const nodes = [
			httpNode('HTTP Request 1', 0),
			ourNode('Bilibili Remark 1', 100),
			httpNode('HTTP Request 2', 200),
			ourNode('Bilibili Remark 2', 300),
		];
		const { runData, error } = await executeWorkflow(
			n8n,
			itemsWorkflow('replyThroughput01', items, nodes),
		);
		expect(error).toBeUndefined();
		const ms: Record<string, number> = {};
		for (const { name } of nodes) {
			const [run] = runData[name];
			expect(run.error).toBeUndefined();
			expect(run.data!.main![0]).toHaveLength(1000);
			ms[name] = run.executionTime!;
		}
		const replies = sim.requestsTo(REPLY);
		expect(replies).toHaveLength(4000);
		expect(replies.every((r) => r.csrfValid)).toBe(true);
		expect(new Set(replies.map((r) => r.form.msg)).size).toBe(1000);

		const ours = ms['Bilibili Remark 1'] + ms['Bilibili Remark 2'];
		const theirs = ms['HTTP Request 1'] + ms['HTTP Request 2'];
		report(
			`n8n ${N8N_VERSION}, 1000 replies per node, two rounds: Bilibili Remark ${ms['Bilibili Remark 1']} + ${ms['Bilibili Remark 2']} ms, ` +
				`HTTP Request ${ms['HTTP Request 1']} + ${ms['HTTP Request 2']} ms: ratio ${(ours / theirs).toFixed(2)}`,
		);
	});
});

describe('n8n execute: a 256 MB upload with binary data in filesystem mode', () => {
	/**
	 * Loaded into the n8n process: at exit it writes its peak RSS and its RSS every 10 ms (bytes), so
	 * the upload node's own share can be told from what Read File left behind.
	 */
	const preload = path.join(dir, 'rss-probe.js');
	writeFileSync(
		preload,
		`const samples = [];
setInterval(() => samples.push([Date.now(), process.memoryUsage.rss()]), 10).unref();
process.on('exit', () => require('fs').writeFileSync(process.env.BILIBILI_RSS_FILE,
	JSON.stringify({ peak: process.resourceUsage().maxRSS * 1024, samples })));
`,
	);

	function fileOf(name: string, bytes: number): string {
		const file = path.join(dir, name);
		const fd = openSync(file, 'w');
		const chunk = Buffer.alloc(1024 * 1024, 7);
		for (let left = bytes; left > 0; left -= chunk.length)
			writeSync(fd, chunk, 0, Math.min(left, chunk.length));
		closeSync(fd);
		return file;
	}

	/**
	 * Read/Write Files from Disk → the upload node: the n8n process's peak RSS, and the upload node's
	 * peak above the RSS it started at.
	 */
	async function upload(id: string, file: string, uploadNode?: Record<string, unknown>) {
		const rssFile = path.join(dir, `${id}.rss.json`);
		const { runData, error } = await executeWorkflow(
			n8n,
			{
				id,
				name: id,
				nodes: [
					{
						id: 'a',
						name: 'Start',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: 'r',
						name: 'Read File',
						type: 'n8n-nodes-base.readWriteFile',
						typeVersion: 1,
						position: [200, 0],
						parameters: { operation: 'read', fileSelector: file, options: {} },
					},
					...(uploadNode ? [{ id: 'u', name: 'Upload', position: [400, 0], ...uploadNode }] : []),
				],
				connections: {
					Start: { main: [[{ node: 'Read File', type: 'main', index: 0 }]] },
					...(uploadNode && {
						'Read File': { main: [[{ node: 'Upload', type: 'main', index: 0 }]] },
					}),
				},
			},
			{
				N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
				N8N_RESTRICT_FILE_ACCESS_TO: dir,
				NODE_OPTIONS: `--require ${preload}`,
				BILIBILI_RSS_FILE: rssFile,
			},
		);
		expect(error).toBeUndefined();
		const { peak, samples } = JSON.parse(readFileSync(rssFile, 'utf8')) as {
			peak: number;
			samples: Array<[number, number]>;
		};
		if (!uploadNode) return { peak, node: 0 };
		const [run] = runData.Upload;
		expect(run.error).toBeUndefined();
		const start = run.startTime!;
		const end = start + run.executionTime!;
		const before = samples.filter(([t]) => t <= start).pop()?.[1] ?? 0;
		const during = Math.max(
			0,
			...samples.filter(([t]) => t >= start && t <= end).map(([, r]) => r),
		);
		return { peak, node: during - before };
	}

	const ours = {
		type: bilibili('bilibiliCustomerService'),
		typeVersion: 1,
		parameters: { operation: 'uploadFile', binaryPropertyName: 'data' },
		credentials: credentials('simGood'),
	};
	const http = () => ({
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${sim.url}${UPLOAD}`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'bilibiliApi',
			sendBody: true,
			contentType: 'multipart-form-data',
			bodyParameters: {
				parameters: [
					{ name: 'mid', value: String(sim.credentials.DedeUserID) },
					{ name: 'filename', value: 'big.bin' },
					{ parameterType: 'formBinaryData', name: 'file', inputDataFieldName: 'data' },
				],
			},
			options: {},
		},
		credentials: credentials('simGood'),
	});

	it('the Customer Service node streams the file instead of holding it; the figures beside the HTTP Request node are printed', async () => {
		sim.reset();
		const MB = 1024 * 1024;
		const small = fileOf('small.bin', 1024);
		const big = fileOf('big.bin', 256 * MB);
		const baseline = await upload('uploadSmall01', small, ours);
		const viaOurs = await upload('uploadBig01', big, ours);
		const viaHttp = await upload('uploadHttp01', big, http());
		// What Read File alone leaves in the process for the 256 MB file, with no upload after it.
		const readOnly = await upload('readBig01', big);
		const uploads = sim.requestsTo(UPLOAD);
		expect(uploads.map((r) => r.uploadBytes)).toEqual([1024, 256 * MB, 256 * MB]);
		const above = (peak: number) => Math.round((peak - baseline.peak) / MB);
		const mb = (bytes: number) => Math.round(bytes / MB);
		report(
			`n8n ${N8N_VERSION}, 256 MB file read by Read File and uploaded, binary data in filesystem mode: ` +
				`process peak RSS above the same with 1 KB: Customer Service ${above(viaOurs.peak)} MB, ` +
				`HTTP Request (form-data) ${above(viaHttp.peak)} MB, Read File alone (no upload) ${above(readOnly.peak)} MB; ` +
				`during the upload node, above its start: ${mb(viaOurs.node)} MB and ${mb(viaHttp.node)} MB`,
		);
		// Streamed from n8n's binary store: the node's own share does not grow with the file (a buffered
		// body would add the whole 256 MB here, and did before).
		expect(mb(viaOurs.node)).toBeLessThan(64);
	});
});
