/** `npm run simulator`: starts the simulator on loopback and prints its URL and test cookies. */
import { BilibiliSimulator } from './server';

async function main() {
	const port = Number(process.env.PORT ?? process.argv[2] ?? 8787);
	const sim = new BilibiliSimulator({ port });
	const url = await sim.start();
	const c = sim.credentials;
	process.stdout.write(
		[
			`Bilibili simulator listening on ${url}`,
			'',
			'Use it as the base URL override, with these test cookies:',
			`  SESSDATA   = ${c.SESSDATA}`,
			`  bili_jct   = ${c.bili_jct}`,
			`  DedeUserID = ${c.DedeUserID}`,
			'',
			`Control API: POST ${url}/__sim/remarks {"msg":"加油"}, POST ${url}/__sim/qr/pay {"token":"…"}, GET ${url}/__sim/state`,
			'Ctrl-C stops it.',
			'',
		].join('\n'),
	);
	const stop = () => void sim.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
