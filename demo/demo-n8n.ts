/**
 * `npm run demo:n8n`: the simulator plus a real n8n (installed once into the cache, see
 * dev/n8nServer.ts) with this package installed as a community package, the example workflows
 * imported with a credential aimed at the simulator, the trigger examples published, and an owner
 * account set up whose login is printed. A fan leaves a remark every 20 s. Ctrl-C stops everything and
 * removes the temporary user folder.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BilibiliSimulator } from '../simulator';
import { ensureN8n, N8nInstance, N8N_VERSION, packPackage } from '../dev/n8nServer';
import { freePort } from '../dev/nodeRed';
import { PACKAGE_ROOT } from '../dev/packageRoot';
import { onCleanUp, runDemo } from './lifecycle';

const OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'User',
	password: 'Bilibili-demo-1',
};
const FANS = ['小明', '小红', '阿伟', 'mika'];

async function main() {
	const sim = new BilibiliSimulator({ port: await freePort(Number(process.env.SIM_PORT ?? 8787)) });
	const simUrl = await sim.start();
	onCleanUp(() => sim.stop());

	process.stdout.write(
		`Preparing n8n ${N8N_VERSION} (the first run installs it, a few minutes)…\n`,
	);
	await ensureN8n();
	const n8n = new N8nInstance(await freePort(Number(process.env.PORT ?? 5678)), await freePort());
	onCleanUp(() => n8n.dispose());
	await n8n.installPackage(await packPackage(mkdtempSync(path.join(tmpdir(), 'bilibili-pack-'))));

	// Every example workflow, its Bilibili nodes pointed at one credential for the simulator.
	await n8n.import('credentials', [
		{
			id: 'bilibiliDemo01',
			name: 'Bilibili (simulator)',
			type: 'bilibiliApi',
			data: { ...sim.credentials, baseUrl: simUrl },
		},
	]);
	const dir = path.join(PACKAGE_ROOT, 'n8n-workflows');
	const published: string[] = [];
	for (const [i, file] of readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.entries()) {
		const workflow = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
			id?: string;
			nodes: Array<{ type: string; credentials?: unknown; parameters: Record<string, unknown> }>;
		};
		workflow.id = `bilibiliDemo${String(i).padStart(4, '0')}`;
		for (const node of workflow.nodes) {
			if (node.type.startsWith('n8n-nodes-bilibili.'))
				node.credentials = { bilibiliApi: { id: 'bilibiliDemo01', name: 'Bilibili (simulator)' } };
			if ('upMid' in node.parameters) node.parameters.upMid = String(sim.credentials.DedeUserID);
		}
		await n8n.import('workflow', workflow);
		if (
			workflow.nodes.some(
				(n) => /Trigger$/.test(n.type) && n.type.startsWith('n8n-nodes-bilibili.'),
			)
		) {
			await n8n.cli('publish:workflow', `--id=${workflow.id}`);
			published.push(file);
		}
	}

	await n8n.start();
	const editor = `http://127.0.0.1:${n8n.port}`;
	const setup = await fetch(`${editor}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (!setup.ok) throw new Error(`owner set-up failed: HTTP ${setup.status} ${await setup.text()}`);

	// Lively: a remark every 20 s (the Remark Trigger polls every minute and thanks each one).
	const timer = setInterval(
		() => sim.addRemark({ msg: '加油!', uname: FANS[Math.floor(Math.random() * FANS.length)] }),
		20_000,
	);
	onCleanUp(() => clearInterval(timer));

	process.stdout.write(
		[
			'',
			`n8n editor:       ${editor}`,
			`Log in as:        ${OWNER.email} / ${OWNER.password}`,
			`User folder:      ${n8n.userFolder} (removed on exit)`,
			`Simulator:        ${simUrl}   (state: ${simUrl}/__sim/state)`,
			`Published:        ${published.join(', ')} (the QR kiosk keeps a code ready; pay it with POST ${simUrl}/__sim/qr/pay {"token":…})`,
			'',
			'Ctrl-C stops everything.',
			'',
		].join('\n'),
	);
}

runDemo(main);
