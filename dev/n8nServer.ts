/**
 * A real n8n (the `n8n` package, pinned) for the tests that only a real server can answer: the packed
 * package installed as a community package, credentials and workflows imported with n8n's CLI,
 * workflows run with `n8n execute` and activated under `n8n start`. n8n is installed once into a cache
 * folder outside node_modules (it is large and not a dependency of the package).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { N8N_PACKAGE_DIR } from './packageRoot';

const run = promisify(execFile);

/** The n8n version the real-server stage runs; README names it. */
export const N8N_VERSION = '2.41.1';

export function n8nCacheDir(): string {
	return (
		process.env.N8N_CACHE_DIR ??
		path.join(os.homedir(), '.cache', 'n8n-nodes-bilibili', `n8n-${N8N_VERSION}`)
	);
}

export function n8nBin(): string {
	return path.join(n8nCacheDir(), 'node_modules', 'n8n', 'bin', 'n8n');
}

/** Installs n8n into the cache folder the first time (a few minutes); later calls return at once. */
export async function ensureN8n(): Promise<string> {
	const dir = n8nCacheDir();
	const ready = path.join(dir, '.ready');
	if (existsSync(ready) && existsSync(n8nBin())) return n8nBin();
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: 'n8n-for-tests', private: true }),
	);
	const npm = { cwd: dir, maxBuffer: 64 * 1024 * 1024, env: process.env };
	// Install scripts are off (some fetch binaries from hosts this machine cannot reach); sqlite3 is then built from source.
	await run(
		'npm',
		[
			'install',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			`n8n@${N8N_VERSION}`,
		],
		npm,
	);
	await run('npm', ['rebuild', 'sqlite3'], npm);
	writeFileSync(ready, new Date().toISOString());
	return n8nBin();
}

/** `npm pack` of the built n8n package (build/n8n-nodes-bilibili), as a user would install it. */
export async function packPackage(into: string): Promise<string> {
	const { stdout } = await run('npm', ['pack', '--pack-destination', into, '--loglevel=error'], {
		cwd: N8N_PACKAGE_DIR,
		maxBuffer: 16 * 1024 * 1024,
	});
	return path.join(into, stdout.trim().split('\n').pop()!);
}

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** One n8n "instance": a user folder of its own with the package installed in ~/.n8n/nodes. */
export class N8nInstance {
	readonly userFolder = mkdtempSync(path.join(os.tmpdir(), 'n8n-bilibili-'));
	private server?: ChildProcess;
	log = '';

	/** `port` for the editor and API; `brokerPort` for n8n's task broker, which otherwise always takes 5679. */
	constructor(
		readonly port: number,
		readonly brokerPort: number,
	) {}

	/** The server logs at info (the tests read "Editor is now accessible"); CLI commands only errors, so stdout is their output. */
	env(logLevel = 'info'): NodeJS.ProcessEnv {
		return {
			...process.env,
			// jest sets NODE_ENV=test, under which n8n's logger (and so `n8n execute`'s output) stays silent.
			NODE_ENV: 'production',
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'n8n-nodes-bilibili-tests',
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_LOG_LEVEL: logLevel,
			N8N_LOG_OUTPUT: 'console',
			DB_SQLITE_POOL_SIZE: '2',
			N8N_RUNNERS_ENABLED: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			EXECUTIONS_TIMEOUT_MAX: '3600',
		};
	}

	/** Installs the packed package as a community package, the way n8n keeps them: ~/.n8n/nodes. */
	async installPackage(tarball: string): Promise<void> {
		const nodes = path.join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodes, { recursive: true });
		writeFileSync(
			path.join(nodes, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true }),
		);
		await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
			cwd: nodes,
			maxBuffer: 16 * 1024 * 1024,
		});
	}

	async cli(...args: string[]): Promise<CliResult> {
		return this.cliAt('error', args);
	}

	private cliAt(
		logLevel: string,
		args: string[],
		extraEnv: NodeJS.ProcessEnv = {},
	): Promise<CliResult> {
		return new Promise((resolve) => {
			execFile(
				process.execPath,
				[n8nBin(), ...args],
				{ env: { ...this.env(logLevel), ...extraEnv }, maxBuffer: 64 * 1024 * 1024 },
				(err, stdout, stderr) =>
					resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
			);
		});
	}

	/** Writes `data` to a file in the user folder and imports it with `n8n import:<kind>`. */
	async import(kind: 'credentials' | 'workflow', data: unknown): Promise<void> {
		const file = path.join(this.userFolder, `import-${kind}-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(data));
		const result = await this.cli(`import:${kind}`, `--input=${file}`);
		if (result.code !== 0)
			throw new Error(`n8n import:${kind} failed: ${result.stderr || result.stdout}`);
	}

	/** `n8n execute --rawOutput` (with extra environment, e.g. a time zone): the run's data. */
	async execute(
		workflowId: string,
		extraEnv: NodeJS.ProcessEnv = {},
	): Promise<CliResult & { run?: { data: { resultData: { runData: Record<string, unknown> } } } }> {
		// The run is printed through n8n's logger at info level, as pretty JSON between a "{" line and a "}" line.
		const result = await this.cliAt(
			'info',
			['execute', `--id=${workflowId}`, '--rawOutput'],
			extraEnv,
		);
		const lines = result.stdout.split('\n');
		const first = lines.indexOf('{');
		const last = lines.lastIndexOf('}');
		let parsed;
		try {
			parsed =
				first >= 0 && last > first
					? JSON.parse(lines.slice(first, last + 1).join('\n'))
					: undefined;
		} catch {
			parsed = undefined;
		}
		return { ...result, run: parsed };
	}

	/** `n8n start` (with extra environment, e.g. queue mode); resolves once the server answers /healthz. */
	async start(extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
		this.server = spawn(process.execPath, [n8nBin(), 'start'], {
			env: { ...this.env(), ...extraEnv },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.server.stdout!.on('data', (c) => (this.log += c));
		this.server.stderr!.on('data', (c) => (this.log += c));
		for (let i = 0; i < 600; i++) {
			if (this.server.exitCode !== null) throw new Error(`n8n exited: ${this.log.slice(-2000)}`);
			const ok = await fetch(`http://127.0.0.1:${this.port}/healthz`).then(
				(r) => r.ok,
				() => false,
			);
			if (ok && /Editor is now accessible/.test(this.log)) return;
			await new Promise((r) => setTimeout(r, 250));
		}
		throw new Error(`n8n did not start: ${this.log.slice(-2000)}`);
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (!server || server.exitCode !== null) return;
		const exited = new Promise((r) => server.once('exit', r));
		server.kill('SIGTERM');
		const timer = setTimeout(() => server.kill('SIGKILL'), 30_000);
		await exited;
		clearTimeout(timer);
	}

	async dispose(): Promise<void> {
		await this.stop();
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** The names of the nodes that ran in a CLI run and how many items each sent down each output. */
export function outputCounts(run: {
	data: { resultData: { runData: Record<string, unknown> } };
}): Record<string, number[]> {
	const out: Record<string, number[]> = {};
	for (const [name, tasks] of Object.entries(run.data.resultData.runData)) {
		const main =
			(tasks as Array<{ data?: { main?: Array<unknown[] | null> } }>)[0]?.data?.main ?? [];
		out[name] = main.map((items) => items?.length ?? 0);
	}
	return out;
}
