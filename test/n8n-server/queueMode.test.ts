/**
 * n8n in queue mode (a main instance and two workers over Redis), charging one simulated account from
 * both workers at once. Each worker has its own spending ledger; the credential's minimum balance is
 * checked against Bilibili's one wallet before every charge, so the workers together stop at the
 * floor, at most one charge of the other worker below it. Needs `redis-server` on PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ensureN8n, n8nBin, N8nInstance, packPackage } from '../../dev/n8nServer';
import { freePort } from '../../dev/nodeRed';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BilibiliSimulator } from '../../simulator';
import { bilibili, SELF } from './stage';

jest.setTimeout(15 * 60_000);
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
const FLOOR = 50;
const BP = 5;

function started(child: ChildProcess, name: string, ready: RegExp): Promise<void> {
	let log = '';
	return new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`${name} did not start: ${log.slice(-2000)}`)),
			180_000,
		);
		const hear = (c: Buffer) => {
			log += c;
			if (ready.test(log)) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout?.on('data', hear);
		child.stderr?.on('data', hear);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${name} exited ${code}: ${log.slice(-2000)}`));
		});
	});
}

async function stop(child: ChildProcess | undefined): Promise<void> {
	if (!child || child.exitCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
	await exited;
	clearTimeout(timer);
}

describe('n8n queue mode: two workers charging one account', () => {
	const sim = new BilibiliSimulator({ balance: 100 });
	let n8n: N8nInstance;
	let redis: ChildProcess | undefined;
	const workers: ChildProcess[] = [];
	let queue: NodeJS.ProcessEnv = {};

	beforeAll(async () => {
		await sim.start();
		await ensureN8n();
		const redisPort = await freePort();
		redis = spawn(
			'redis-server',
			['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		await started(redis, 'redis-server', /Ready to accept connections/);
		queue = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
		n8n = new N8nInstance(await freePort(), await freePort());
		await n8n.installPackage(
			await packPackage(mkdtempSync(path.join(os.tmpdir(), 'bilibili-pack-'))),
		);
		await n8n.import('credentials', [
			{
				id: 'simFloor',
				name: 'Bilibili simFloor',
				type: 'bilibiliApi',
				data: {
					...sim.credentials,
					baseUrl: sim.url,
					minIntervalMs: 0,
					maxBcoinPerCharge: 50,
					maxBcoinPer24h: 1_000_000,
					minBcoinBalance: FLOOR,
				},
			},
		]);
		await n8n.import('workflow', {
			id: 'queueFloor01',
			name: 'charge from a webhook',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'h',
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: '6f1c7f0e-0b0a-4c1e-9a55-0123456789cd',
					parameters: { path: 'bilibili-floor', httpMethod: 'POST', responseMode: 'lastNode' },
				},
				{
					id: 'c',
					name: 'Charge',
					type: bilibili('bilibiliCharge'),
					typeVersion: 1,
					position: [200, 0],
					parameters: {
						operation: 'chargeWithBcoin',
						upMid: String(SELF),
						amount: BP,
						preferBalance: true,
					},
					credentials: { bilibiliApi: { id: 'simFloor', name: 'Bilibili simFloor' } },
				},
			],
			connections: { Webhook: { main: [[{ node: 'Charge', type: 'main', index: 0 }]] } },
		});
		expect((await n8n.cli('publish:workflow', '--id=queueFloor01')).code).toBe(0);
		await n8n.start(queue);
		for (let i = 0; i < 2; i++) {
			const worker = spawn(process.execPath, [n8nBin(), 'worker', '--concurrency=1'], {
				env: { ...n8n.env(), ...queue, QUEUE_HEALTH_CHECK_ACTIVE: 'false' },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			workers.push(worker);
			await started(worker, `worker ${i + 1}`, /n8n worker is now ready|Worker started|ready/i);
		}
	});

	afterAll(async () => {
		for (const w of workers) await stop(w);
		await n8n?.stop();
		await stop(redis);
		await n8n?.dispose();
		await sim.stop();
	});

	it('charges from both workers at once stop at the minimum balance, at most one charge of the other below it', async () => {
		const hook = `http://127.0.0.1:${n8n.port}/webhook/bilibili-floor`;
		let probe = await fetch(hook, { method: 'POST' });
		for (let i = 0; i < 120 && probe.status === 404; i++) {
			await new Promise((r) => setTimeout(r, 250));
			probe = await fetch(hook, { method: 'POST' });
		}
		expect(probe.status).toBe(200);
		// Two at a time (one per worker), until the floor refuses.
		let answers: number[] = [];
		for (let round = 0; round < 12; round++) {
			answers = await Promise.all(
				[1, 2].map(async () => (await fetch(hook, { method: 'POST' })).status),
			);
			if (answers.every((s) => s !== 200)) break;
		}
		expect(answers.every((s) => s !== 200)).toBe(true);
		const charged = sim.requestsTo(PAY_QUICK).length;
		expect(sim.state.balance).toBe(100 - charged * BP);
		expect(sim.state.balance).toBeLessThan(FLOOR + BP);
		expect(sim.state.balance).toBeGreaterThanOrEqual(FLOOR - BP);
		// The wallet was read before every charge sent, by both workers together.
		expect(sim.requestsTo('/x/web-interface/nav').length).toBeGreaterThan(charged);
	});
});
