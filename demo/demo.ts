/**
 * `npm run demo`: the simulator plus a real Node-RED with this package and the example flows, kept
 * lively so the flows visibly work. With BILIBILI_SESSDATA (and BILIBILI_BILI_JCT, BILIBILI_DEDEUSERID)
 * set it talks to the real Bilibili and deploys only read-only flows: the demo never charges for real.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BilibiliSimulator } from '../simulator';
import {
	configureExamples,
	exampleFlows,
	freePort,
	linkNodeRedPackage,
	spawnNodeRed,
	stopNodeRed,
} from '../dev/nodeRed';
import { cleanUp, onCleanUp, runDemo } from './lifecycle';

const FANS = ['小明', '小红', 'HANSOOOOOL', '阿伟', 'mika', '吃瓜群众'];
const WORDS = ['加油!', '支持一下大佬', '更新辛苦了', '第一次充电', '催更催更', '好看!'];
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];

async function main() {
	const real = process.env.BILIBILI_SESSDATA;
	let sim: BilibiliSimulator | undefined;
	let cookies: { SESSDATA: string; bili_jct?: string; DedeUserID?: string };
	let baseUrl = '';
	if (real) {
		cookies = {
			SESSDATA: real,
			bili_jct: process.env.BILIBILI_BILI_JCT,
			DedeUserID: process.env.BILIBILI_DEDEUSERID,
		};
	} else {
		sim = new BilibiliSimulator({ port: await freePort(Number(process.env.SIM_PORT ?? 8787)) });
		baseUrl = await sim.start();
		const started = sim;
		onCleanUp(() => started.stop());
		cookies = sim.credentials;
	}

	// A fresh Node-RED user directory with this package in its node_modules, as an install would put it.
	const userDir = mkdtempSync(path.join(tmpdir(), 'bilibili-demo-'));
	onCleanUp(() => rmSync(userDir, { recursive: true, force: true }));
	linkNodeRedPackage(userDir);
	const port = await freePort(Number(process.env.PORT ?? 1880));
	writeFileSync(
		path.join(userDir, 'settings.js'),
		`module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: 'demo', editorTheme: { tours: false }, telemetry: { enabled: false, updateNotification: false }, logging: { console: { level: 'warn' } } };`,
	);
	const red: ChildProcess = spawnNodeRed(userDir);
	onCleanUp(() => stopNodeRed(red));
	const editor = `http://127.0.0.1:${port}`;
	const api = (p: string, init?: RequestInit) =>
		fetch(editor + p, {
			...init,
			headers: {
				'Content-Type': 'application/json',
				Accept: 'application/json',
				'Node-RED-API-Version': 'v2',
				...init?.headers,
			},
		});
	for (let i = 0; ; i++) {
		if (
			await api('/settings').then(
				(r) => r.ok,
				() => false,
			)
		)
			break;
		if (i > 240 || red.exitCode !== null) throw new Error('Node-RED did not start');
		await new Promise((r) => setTimeout(r, 250));
	}

	// Real cookies: read-only flows only (no charge, no reply). Simulator: every example.
	const flows = real
		? exampleFlows(['daily-account-report.json', 'auto-thank-new-charge-remarks.json']).filter(
				(n) => !['thank-text', 'thank-reply'].includes(String(n.id)),
			)
		: exampleFlows([
				'auto-thank-new-charge-remarks.json',
				'qr-charge-kiosk.json',
				'monthly-bcoin-charge.json',
				'daily-account-report.json',
				'customer-service-upload.json',
			]);
	configureExamples(flows, { baseUrl, ...cookies });
	for (const node of flows) {
		if (node.type === 'bilibili-remark-in') node.interval = '15';
		// Read-only: new remarks go straight to the debug sidebar instead of being replied to.
		if (real && node.id === 'thank-in') node.wires = [['thank-debug']];
	}
	const deployed = await api('/flows', {
		method: 'POST',
		body: JSON.stringify({ flows }),
		headers: { 'Node-RED-Deployment-Type': 'full' },
	});
	if (!deployed.ok) throw new Error(`deploy failed: HTTP ${deployed.status}`);
	const inject = (id: string) => api(`/inject/${id}`, { method: 'POST' }).catch(() => undefined);

	const timers: NodeJS.Timeout[] = [];
	onCleanUp(() => timers.forEach(clearInterval));
	if (sim) {
		const s = sim;
		timers.push(
			setTimeout(() => void inject('report-cron'), 2000),
			setTimeout(() => void inject('monthly-cron'), 3000),
		);
		// A fan leaves a charge remark every few seconds; "check now" makes the reply come at once.
		timers.push(
			setInterval(() => {
				s.addRemark({
					msg: pick(WORDS),
					uname: pick(FANS),
					mid: 10000 + Math.floor(Math.random() * 90000),
				});
				void inject('thank-check');
			}, 6000),
		);
		// The kiosk shows a new code; a fan scans it, then pays.
		timers.push(
			setInterval(() => {
				void inject('kiosk-go');
				setTimeout(() => {
					const open = [...s.state.qrCodes.values()].filter(
						(q) => q.state === 'not_scanned' && s.state.liveQr(q.token),
					);
					for (const q of open) s.state.scanQr(q.token);
					setTimeout(
						() => open.forEach((q) => s.state.liveQr(q.token) && s.state.payQr(q.token)),
						3000,
					);
				}, 3000);
			}, 12000),
		);
	}

	process.stdout.write(
		[
			'',
			`Node-RED editor:  ${editor}`,
			`User directory:   ${userDir} (removed on exit)`,
			sim
				? `Simulator:        ${baseUrl}   (state: ${baseUrl}/__sim/state)`
				: 'Talking to the real Bilibili with your cookies: read-only flows only, nothing is charged or replied.',
			'',
			'What to look at:',
			'  • "Auto-thank new charge remarks": a fan leaves a remark every 6 s; the reply node turns green and the debug sidebar shows each reply.',
			'  • "QR charge kiosk": every 12 s a new code (status: waiting · 10 min left), then scanned (yellow), then paid: a thank-you message follows.',
			`    The kiosk page shows the current code: ${editor.replace(/\/$/, '')}/bilibili-kiosk`,
			'  • "Monthly B-coin charge" and "Daily account report" ran once at start: see the debug sidebar.',
			'',
			'Ctrl-C stops everything.',
			'',
		].join('\n'),
	);

	red.once('exit', () => void cleanUp().then(() => process.exit(0)));
}

runDemo(main);
