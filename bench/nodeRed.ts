/**
 * Figure 6: 1000 remark replies through the bilibili-remark node against the same 1000 through
 * Node-RED's own http request node (cookie and csrf set by a change node), in one real Node-RED
 * process with this package installed, against one simulator. Each reply waits for the one before, so
 * the figure is the cost per message; pacing is off on ours.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BilibiliSimulator } from '../simulator';
import { freePort, linkNodeRedPackage, spawnNodeRed, stopNodeRed } from '../dev/nodeRed';

const ROUNDS = 4;

export interface NodeRedRow {
	replies: number;
	bilibiliRemarkMs: number;
	httpRequestMs: number;
	ratio: number;
}

/**
 * What drives one node under test: GET /bench/<id>?n=… starts a loop that sends the next reply when
 * the last one came back, and answers the request with the time taken once n are done.
 */
function harness(id: string, remarkId: number, first: string) {
	return [
		{
			id: `in-${id}`,
			type: 'http in',
			z: 'bench',
			url: `/bench/${id}`,
			method: 'get',
			wires: [[`loop-${id}`]],
		},
		{
			id: `loop-${id}`,
			type: 'function',
			z: 'bench',
			outputs: 2,
			func: `
let i = context.get('i') || 0;
if (msg.req) { context.set('origin', msg); context.set('n', Number(msg.req.query.n)); i = 0; context.set('t0', Date.now()); }
else i += 1;
context.set('i', i);
if (i >= context.get('n')) { const o = context.get('origin'); o.payload = { ms: Date.now() - context.get('t0'), n: i }; return [null, o]; }
return [{ id: ${remarkId}, message: 'thanks ' + i, payload: { id: ${remarkId}, msg: 'thanks ' + i } }, null];`,
			wires: [[first], [`res-${id}`]],
		},
		{ id: `res-${id}`, type: 'http response', z: 'bench' },
	];
}

export async function benchNodeRed(replies = 1000): Promise<NodeRedRow> {
	const sim = new BilibiliSimulator();
	const url = await sim.start();
	const remark = sim.addRemark({ msg: 'bench' });
	const c = sim.credentials;
	const dir = mkdtempSync(path.join(tmpdir(), 'bilibili-bench-red-'));
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	linkNodeRedPackage(dir);
	writeFileSync(
		path.join(dir, 'settings.js'),
		`module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: 'bench', logging: { console: { level: 'warn' } } };`,
	);
	const red = spawnNodeRed(
		dir,
		require.resolve('node-red/red.js'),
		process.env.BENCH_NODE_RED_LOG ? 'inherit' : 'ignore',
	);
	try {
		for (let ready = false; !ready; await new Promise((r) => setTimeout(r, 200)))
			ready = await fetch(`${base}/settings`).then(
				(r) => r.ok,
				() => false,
			);
		const flows = [
			{ id: 'bench', type: 'tab', label: 'bench' },
			{
				id: 'acct',
				type: 'bilibili-config',
				baseUrl: url,
				DedeUserID: c.DedeUserID,
				minIntervalMs: 0,
				credentials: { SESSDATA: c.SESSDATA, bili_jct: c.bili_jct },
			},
			// Ours: the node reads the remark id and the message from msg.
			...harness('ours', remark.id, 'ours'),
			{
				id: 'ours',
				type: 'bilibili-remark',
				z: 'bench',
				account: 'acct',
				operation: 'reply',
				wires: [['loop-ours']],
			},
			// What a user builds instead: a change node adds the cookie and csrf, http request posts the form.
			...harness('http', remark.id, 'auth'),
			{
				id: 'auth',
				type: 'change',
				z: 'bench',
				rules: [
					{
						t: 'set',
						p: 'headers',
						pt: 'msg',
						to: JSON.stringify({
							Cookie: `SESSDATA=${c.SESSDATA}; bili_jct=${c.bili_jct}`,
							'content-type': 'application/x-www-form-urlencoded',
						}),
						tot: 'json',
					},
					{ t: 'set', p: 'payload.csrf', pt: 'msg', to: c.bili_jct, tot: 'str' },
				],
				wires: [['http']],
			},
			{
				id: 'http',
				type: 'http request',
				z: 'bench',
				method: 'POST',
				ret: 'obj',
				url: `${url}/x/web/elec/remark/reply`,
				wires: [['loop-http']],
			},
		];
		const deployed = await fetch(`${base}/flows`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				'Node-RED-API-Version': 'v2',
				'Node-RED-Deployment-Type': 'full',
			},
			body: JSON.stringify({ flows }),
		});
		if (!deployed.ok) throw new Error(`deploy failed: HTTP ${deployed.status}`);
		const run = async (variant: string, n: number): Promise<number> => {
			for (;;) {
				const r = await fetch(`${base}/bench/${variant}?n=${n}`);
				// 404 until the flow has started.
				if (r.status === 404) {
					await new Promise((res) => setTimeout(res, 200));
					continue;
				}
				const body = (await r.json()) as { ms: number; n: number };
				return body.ms;
			}
		};
		// Warm both paths up, then measure them in turns (which one goes first alternates, so a drift of
		// the machine falls on both) and keep each one's best run: single runs move by tens of percent.
		await run('ours', 100);
		await run('http', 100);
		const ours: number[] = [];
		const http: number[] = [];
		for (let i = 0; i < ROUNDS; i++) {
			if (i % 2 === 0) ours.push(await run('ours', replies));
			http.push(await run('http', replies));
			if (i % 2 === 1) ours.push(await run('ours', replies));
		}
		const replied = sim.requestsTo('/x/web/elec/remark/reply').filter((q) => q.code === 0).length;
		if (replied !== 200 + 2 * ROUNDS * replies)
			throw new Error(`expected every reply to succeed, ${replied} did`);
		const bilibiliRemarkMs = Math.min(...ours);
		const httpRequestMs = Math.min(...http);
		return { replies, bilibiliRemarkMs, httpRequestMs, ratio: bilibiliRemarkMs / httpRequestMs };
	} finally {
		await stopNodeRed(red);
		await sim.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
