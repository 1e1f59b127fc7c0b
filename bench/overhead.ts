/** Figure 2: per-call time through the client against a raw node:http call, and connections opened. */
import http from 'node:http';
import { BilibiliClient } from '../index';
import { BilibiliSimulator } from '../simulator';
import { median } from './stats';

function rawCall(
	url: string,
	method: 'GET' | 'POST',
	cookie: string,
	agent: http.Agent,
	body?: string,
): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method,
				agent,
				headers: {
					cookie,
					...(body
						? {
								'content-type': 'application/x-www-form-urlencoded',
								'content-length': Buffer.byteLength(body),
							}
						: {}),
				},
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c) => (text += c));
				res.on('end', () => resolve(JSON.parse(text)));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

async function time(n: number, call: () => Promise<unknown>): Promise<number> {
	const samples: number[] = [];
	for (let i = 0; i < n; i++) {
		const t = process.hrtime.bigint();
		await call();
		samples.push(Number(process.hrtime.bigint() - t) / 1e6);
	}
	return median(samples);
}

export interface OverheadRow {
	call: string;
	clientMs: number;
	rawMs: number;
	ratio: number;
	connections: number;
	calls: number;
}

export async function benchOverhead(calls = 1000): Promise<OverheadRow[]> {
	const sim = new BilibiliSimulator();
	const url = await sim.start();
	const remark = sim.addRemark({ msg: 'bench' });
	const c = sim.credentials;
	const cookie = `SESSDATA=${c.SESSDATA}; bili_jct=${c.bili_jct}`;
	const agent = new http.Agent({ keepAlive: true });
	const rows: OverheadRow[] = [];
	const cases: Array<
		[string, (client: BilibiliClient) => Promise<unknown>, () => Promise<unknown>]
	> = [
		[
			'GET profile',
			(client) => client.account.getProfile(),
			() => rawCall(`${url}/x/member/web/account`, 'GET', cookie, agent),
		],
		[
			'POST reply',
			(client) => client.remarks.reply({ id: remark.id, msg: 'thanks' }),
			() =>
				rawCall(
					`${url}/x/web/elec/remark/reply`,
					'POST',
					cookie,
					agent,
					new URLSearchParams({
						id: String(remark.id),
						msg: 'thanks',
						csrf: c.bili_jct,
					}).toString(),
				),
		],
	];
	for (const [name, viaClient, raw] of cases) {
		// Warm both paths up (JIT) before measuring side by side; then a fresh client, so its connections count.
		const warm = new BilibiliClient({ credentials: c, baseUrl: url, rateLimit: false });
		for (let i = 0; i < 50; i++) {
			await viaClient(warm);
			await raw();
		}
		warm.close();
		const client = new BilibiliClient({ credentials: c, baseUrl: url, rateLimit: false });
		sim.connections = 0;
		const clientMs = await time(calls, () => viaClient(client));
		const connections = sim.connections;
		const rawMs = await time(calls, raw);
		rows.push({ call: name, clientMs, rawMs, ratio: clientMs / rawMs, connections, calls });
		client.close();
	}
	agent.destroy();
	await sim.stop();
	return rows;
}
