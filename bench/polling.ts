/** Figure 1: requests per remark poll, against the floor (1 list page per 12 new remarks). */
import { BilibiliClient, type RemarkMark } from '../index';
import { BilibiliSimulator } from '../simulator';

export interface PollingRow {
	newRemarks: number;
	details: boolean;
	requests: number;
	floor: number;
}

export async function benchPolling(): Promise<PollingRow[]> {
	const rows: PollingRow[] = [];
	for (const details of [false, true]) {
		for (const n of [0, 1, 12, 13, 50, 500]) {
			const sim = new BilibiliSimulator();
			const url = await sim.start();
			const client = new BilibiliClient({
				credentials: sim.credentials,
				baseUrl: url,
				rateLimit: false,
			});
			for (let i = 0; i < 30; i++) sim.addRemark({ msg: `old ${i}` });
			const { mark } = await client.pollNewRemarks(undefined);
			for (let i = 0; i < n; i++) sim.addRemark({ msg: `new ${i}` });
			sim.requests.length = 0;
			const result = await client.pollNewRemarks(mark as RemarkMark, { includeDetails: details });
			if (result.remarks.length !== n)
				throw new Error(`expected ${n} new remarks, got ${result.remarks.length}`);
			rows.push({
				newRemarks: n,
				details,
				requests: sim.requests.length,
				floor: Math.max(1, Math.ceil(n / 12)) + (details ? n : 0),
			});
			client.close();
			await sim.stop();
		}
	}
	return rows;
}
