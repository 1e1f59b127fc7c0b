/** Runs a built demo script as a user would (`npm run demo…`), collecting what it prints. */
import { spawn } from 'node:child_process';
import path from 'node:path';

export function startDemo(script: 'demo.js' | 'demo-n8n.js', env: NodeJS.ProcessEnv) {
	const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/demo', script)], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.on('data', (c) => (out += c));
	child.stderr.on('data', (c) => (out += c));
	return {
		output: () => out,
		exited: new Promise<number | null>((r) => child.once('exit', (code) => r(code))),
		/** Waits (bounded) until the demo says it is ready, or has exited. */
		async ready(ms: number): Promise<string> {
			for (
				const end = Date.now() + ms;
				!/Ctrl-C stops everything/.test(out) && child.exitCode === null && Date.now() < end;

			)
				await new Promise((r) => setTimeout(r, 250));
			return out;
		},
		interrupt: () => child.kill('SIGINT'),
	};
}
