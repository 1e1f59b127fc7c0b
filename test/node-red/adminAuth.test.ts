/**
 * The QR login's admin endpoints on a real Node-RED 5 with adminAuth: nobody without a token, and no
 * read-only user, may start a login; an admin may. (The dialog itself is tested in the browser,
 * test/node-red-editor.)
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, linkNodeRedPackage, spawnNodeRed, stopNodeRed } from '../../dev/nodeRed';
import { useSimulator } from '../helpers/sim';

jest.setTimeout(120_000);
const ctx = useSimulator();

describe('the QR login admin endpoints under Node-RED adminAuth', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'bilibili-adminauth-'));
	const userDir = path.join(dir, 'user');
	let red: ChildProcess | undefined;
	let base = '';

	beforeAll(async () => {
		linkNodeRedPackage(userDir);
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		// bcryptjs is Node-RED's own dependency, used here as its docs say to hash adminAuth passwords.
		const bcrypt = createRequire(require.resolve('node-red/package.json'))('bcryptjs') as {
			hashSync(p: string, r: number): string;
		};
		const users = [
			{ username: 'admin', password: bcrypt.hashSync('admin-pass', 4), permissions: '*' },
			{ username: 'viewer', password: bcrypt.hashSync('viewer-pass', 4), permissions: 'read' },
		];
		writeFileSync(
			path.join(userDir, 'settings.js'),
			`module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: 'auth-secret', logging: { console: { level: 'warn' } }, telemetry: { enabled: false }, adminAuth: { type: 'credentials', users: ${JSON.stringify(users)} } };`,
		);
		red = spawnNodeRed(userDir);
		for (let i = 0; i < 240; i++) {
			if (
				await fetch(`${base}/auth/login`).then(
					(r) => r.ok,
					() => false,
				)
			)
				return;
			await new Promise((r) => setTimeout(r, 250));
		}
		throw new Error('Node-RED did not start');
	});

	afterAll(async () => {
		await stopNodeRed(red);
		rmSync(dir, { recursive: true, force: true });
	});

	const token = async (username: string, password: string): Promise<string> => {
		const res = await fetch(`${base}/auth/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				client_id: 'node-red-admin',
				grant_type: 'password',
				scope: '*',
				username,
				password,
			}),
		});
		return ((await res.json()) as { access_token: string }).access_token;
	};
	const start = (auth?: string) =>
		fetch(`${base}/bilibili-config/login`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				...(auth ? { Authorization: `Bearer ${auth}` } : {}),
			},
			body: JSON.stringify({ baseUrl: ctx.url }),
		});

	it('refuses a request without a token and a read-only user, and starts nothing for them', async () => {
		expect((await start()).status).toBe(401);
		expect((await start(await token('viewer', 'viewer-pass'))).status).toBe(401);
		expect(ctx.sim.state.logins.size).toBe(0);
	});

	it('lets an admin start a login, follow it, and cancel it', async () => {
		const admin = await token('admin', 'admin-pass');
		const res = await start(admin);
		expect(res.status).toBe(200);
		const body = (await res.json()) as { id: string; png: string };
		expect(body.png).toMatch(/^data:image\/png;base64,/);
		const follow = await fetch(`${base}/bilibili-config/login/${body.id}`, {
			headers: { Authorization: `Bearer ${admin}` },
		});
		expect(await follow.json()).toEqual({ state: 'waiting' });
		expect((await fetch(`${base}/bilibili-config/login/${body.id}`)).status).toBe(401);
		expect(
			(
				await fetch(`${base}/bilibili-config/login/${body.id}`, {
					method: 'DELETE',
					headers: { Authorization: `Bearer ${admin}` },
				})
			).status,
		).toBe(204);
		expect(
			(
				await fetch(`${base}/bilibili-config/login/${body.id}`, {
					headers: { Authorization: `Bearer ${admin}` },
				})
			).status,
		).toBe(404);
	});
});
