/**
 * Figure 2: per-call time through the client against what a user would write instead: one axios
 * instance with a keep-alive agent (the hand-written call), and a raw node:http call (the floor).
 * Side by side, interleaved per sample, so machine load hits all three alike.
 */
import http from 'node:http';
import axios, { type AxiosInstance } from 'axios';
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

/** Median ms per call of each path, the paths taking turns sample by sample. */
async function timeSideBySide(n: number, calls: Array<() => Promise<unknown>>): Promise<number[]> {
	const samples: number[][] = calls.map(() => []);
	for (let i = 0; i < n; i++) {
		for (const [k, call] of calls.entries()) {
			const t = process.hrtime.bigint();
			await call();
			samples[k].push(Number(process.hrtime.bigint() - t) / 1e6);
		}
	}
	return samples.map(median);
}

/** The call a user writes by hand with axios: cookie header, form body with csrf, JSON answer. */
function axiosCall(
	ax: AxiosInstance,
	url: string,
	method: 'GET' | 'POST',
	cookie: string,
	body?: string,
): Promise<unknown> {
	return ax
		.request({
			url,
			method,
			headers: {
				cookie,
				...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
			},
			data: body,
		})
		.then((r) => r.data);
}

export interface OverheadRow {
	call: string;
	clientMs: number;
	axiosMs: number;
	rawMs: number;
	ratioToAxios: number;
	ratioToRaw: number;
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
	const ax = axios.create({ httpAgent: new http.Agent({ keepAlive: true }) });
	const rows: OverheadRow[] = [];
	const form = new URLSearchParams({
		id: String(remark.id),
		msg: 'thanks',
		csrf: c.bili_jct,
	}).toString();
	const cases: Array<
		[
			string,
			(client: BilibiliClient) => Promise<unknown>,
			() => Promise<unknown>,
			() => Promise<unknown>,
		]
	> = [
		[
			'GET profile',
			(client) => client.account.getProfile(),
			() => axiosCall(ax, `${url}/x/member/web/account`, 'GET', cookie),
			() => rawCall(`${url}/x/member/web/account`, 'GET', cookie, agent),
		],
		[
			'POST reply',
			(client) => client.remarks.reply({ id: remark.id, msg: 'thanks' }),
			() => axiosCall(ax, `${url}/x/web/elec/remark/reply`, 'POST', cookie, form),
			() => rawCall(`${url}/x/web/elec/remark/reply`, 'POST', cookie, agent, form),
		],
	];
	for (const [name, viaClient, viaAxios, raw] of cases) {
		// Warm every path up (JIT) before measuring side by side; then a fresh client, so its connections count.
		const warm = new BilibiliClient({ credentials: c, baseUrl: url, rateLimit: false });
		for (let i = 0; i < 100; i++) {
			await viaClient(warm);
			await viaAxios();
			await raw();
		}
		warm.close();
		const client = new BilibiliClient({ credentials: c, baseUrl: url, rateLimit: false });
		sim.connections = 0;
		const [clientMs, axiosMs, rawMs] = await timeSideBySide(calls, [
			() => viaClient(client),
			viaAxios,
			raw,
		]);
		const connections = sim.connections;
		rows.push({
			call: name,
			clientMs,
			axiosMs,
			rawMs,
			ratioToAxios: clientMs / axiosMs,
			ratioToRaw: clientMs / rawMs,
			// The other two paths reuse the connections they warmed up with: these are the fresh client's.
			connections,
			calls,
		});
		client.close();
	}
	agent.destroy();
	await sim.stop();
	return rows;
}
