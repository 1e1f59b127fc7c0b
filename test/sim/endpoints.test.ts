import http from 'node:http';
import { Readable } from 'node:stream';
import { BilibiliClient, createNodeRuntime } from '../../index';
import { simClient, useSimulator } from '../helpers/sim';

const ctx = useSimulator({ uploadLimitBytes: 64 * 1024 });

/** A raw form POST, for answers the client's own validation never lets it provoke. */
function rawPost(
	path: string,
	fields: Record<string, string>,
	cookie: string,
): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const body = new URLSearchParams(fields).toString();
		const req = http.request(
			`${ctx.url}${path}`,
			{ method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } },
			(res) => {
				let text = '';
				res.on('data', (c) => (text += c));
				res.on('end', () => resolve(JSON.parse(text)));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

describe('every endpoint against the simulator', () => {
	it('charges with B-coins, leaves a message once, and the message shows up as a remark', async () => {
		const client = simClient(ctx);
		const mid = Number(ctx.sim.credentials.DedeUserID);
		const charge = await client.charge.chargeWithBcoin({ up_mid: mid, bp_num: 5 });
		expect(charge).toMatchObject({ status: 4, bp_num: 5, exp: 5, up_mid: mid });
		expect(ctx.sim.state.balance).toBe(95);
		await client.charge.sendChargeMessage({ order_no: charge.order_no, message: '支持一下大佬' });
		await expect(
			client.charge.sendChargeMessage({ order_no: charge.order_no, message: 'again' }),
		).rejects.toMatchObject({ code: 88203 });
		const { list } = await client.remarks.list();
		expect(list.map((r) => r.msg)).toEqual(['支持一下大佬']);
	});

	it('answers -4 when the balance is too low, and charges nothing', async () => {
		ctx.sim.state.balance = 3;
		await expect(
			simClient(ctx).charge.chargeWithBcoin({ up_mid: 1, bp_num: 4 }),
		).rejects.toMatchObject({ code: 800409904, chargeStatus: -4 });
		expect(ctx.sim.state.balance).toBe(3);
	});

	it('answers status -2 below the 2-coin minimum (raw request, since the client refuses it)', async () => {
		const c = ctx.sim.credentials;
		const answer = await rawPost(
			'/x/ugcpay/web/v2/trade/elec/pay/quick',
			{
				bp_num: '1',
				is_bp_remains_prior: 'true',
				up_mid: '1',
				otype: 'up',
				oid: '1',
				csrf: c.bili_jct,
			},
			`SESSDATA=${c.SESSDATA}`,
		);
		expect(answer).toMatchObject({
			code: 0,
			data: { status: -2, msg: 'elec raw order create failed: 88201' },
		});
	});

	it('creates a QR code whose status follows scan, pay and expiry', async () => {
		const client = simClient(ctx);
		const code = await client.charge.createQrPay({ up_mid: 2, bp_num: 10 });
		expect(code.qr_code_url).toContain(code.qr_token);
		expect((await client.charge.getQrPayStatus(code.qr_token)).state).toBe('not_scanned');
		ctx.sim.state.scanQr(code.qr_token);
		expect((await client.charge.getQrPayStatus(code.qr_token)).state).toBe('scanned');
		ctx.sim.state.payQr(code.qr_token);
		const paid = await client.charge.getQrPayStatus(code.qr_token);
		expect(paid).toMatchObject({
			state: 'paid',
			status: 1,
			order_no: expect.stringMatching(/^[A-Z0-9]{20}$/),
		});
		await client.charge.sendChargeMessage({ order_no: paid.order_no!, message: '扫码充电' });

		const other = await client.charge.createQrPay({ up_mid: 2, bp_num: 10 });
		ctx.sim.advanceClock(10 * 60_000);
		expect(await client.charge.getQrPayStatus(other.qr_token)).toEqual({
			qr_token: other.qr_token,
			mid: 293793435,
			state: 'invalid_or_expired',
		});
	});

	it('lists remarks newest first with paging and date filters, details and replies', async () => {
		const client = simClient(ctx);
		const day = (d: string) => Date.parse(`${d}T12:00:00+08:00`);
		ctx.sim.addRemark({ msg: 'old', ctime: day('2024-01-01') });
		for (let i = 0; i < 14; i++) ctx.sim.addRemark({ msg: `m${i}`, ctime: day('2024-02-01') + i });
		const first = await client.remarks.list({ ps: 12 });
		expect(first.page).toEqual({ current: 1, size: 12, total: 15 });
		expect(first.list[0].msg).toBe('m13');
		expect(first.list[0].uname).toBe('');
		const all: string[] = [];
		for await (const r of client.remarks.iterate({ begin: '2024-01-15' })) all.push(r.msg);
		expect(all).toHaveLength(14);
		expect(all[13]).toBe('m0');
		expect(
			(await client.remarks.list({ begin: '2024-01-01', end: '2024-01-01' })).list.map(
				(r) => r.msg,
			),
		).toEqual(['old']);

		const detail = await client.remarks.detail(first.list[0].id);
		expect(detail).toMatchObject({ msg: 'm13', uname: 'HANSOOOOOL', mid: 19978396, state: 0 });
		await client.remarks.reply({ id: detail.id, msg: '谢谢!' });
		expect(await client.remarks.detail(detail.id)).toMatchObject({
			state: 1,
			reply_msg: '谢谢!',
			reply_name: expect.any(String),
		});
		await expect(client.remarks.reply({ id: 1, msg: 'x' })).rejects.toMatchObject({ code: -400 });
	});

	it('reads every account endpoint and updates the signature', async () => {
		const client = simClient(ctx);
		expect((await client.account.getProfile()).mid).toBe(293793435);
		expect((await client.account.getDailyExpTasks()).coins).toBe(30);
		expect(await client.account.getTodayCoinExp()).toEqual({ number: 20 });
		expect((await client.account.getVipInfo()).vip_type).toBe(2);
		expect((await client.account.getSecurityInfo()).account_safe.score_new).toBe(100);
		expect(await client.account.getRealnameStatus()).toEqual({ status: 1 });
		expect((await client.account.getRealnameDetails()).card_type).toBe(0);
		expect((await client.account.getCoinLog()).count).toBe(3);
		await client.account.updateSignature('新的签名');
		expect((await client.account.getProfile()).sign).toBe('新的签名');
		await expect(client.account.updateSignature('有敏感词')).rejects.toMatchObject({ code: 40015 });
	});

	it('answers 40022 to a 71-character signature (raw request, since the client refuses it)', async () => {
		const c = ctx.sim.credentials;
		const answer = await rawPost(
			'/x/member/web/sign/update',
			{ user_sign: 'x'.repeat(71), csrf: c.bili_jct },
			`SESSDATA=${c.SESSDATA}`,
		);
		expect(answer).toMatchObject({ code: 40022, message: '签名过长' });
	});

	it('beats the customer-service heart and uploads a file by stream', async () => {
		const client = simClient(ctx);
		expect(await client.customerService.heartbeat()).toEqual({ msg: 'ok', message: 'ok' });
		const data = Buffer.alloc(40 * 1024, 7);
		const result = await client.customerService.uploadFile({
			file: Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
			size: data.length,
			filename: 'clip.mp4',
		});
		expect(result.key).toMatch(/^[0-9a-f]{32}\.mp4$/);
		expect(ctx.sim.requestsTo('/x/custom/msg_svr/v1/upload')[0]).toMatchObject({
			uploadBytes: data.length,
			csrfValid: true,
			form: { filename: 'clip.mp4', mid: '293793435' },
		});
	});

	it('answers 1000011 above the upload limit and 1200201 for a foreign mid', async () => {
		const client = simClient(ctx);
		await expect(
			client.customerService.uploadFile({ file: Buffer.alloc(65 * 1024), filename: 'big.bin' }),
		).rejects.toMatchObject({ code: 1000011 });
		await expect(
			client.customerService.uploadFile({ file: Buffer.from('x'), filename: 'a.txt', mid: 1 }),
		).rejects.toMatchObject({ code: 1200201 });
	});

	it('answers -101 to a wrong SESSDATA and -111 to a wrong bili_jct', async () => {
		const wrongSess = simClient(ctx, {
			credentials: { ...ctx.sim.credentials, SESSDATA: 'expired-sessdata' },
		});
		await expect(wrongSess.account.getProfile()).rejects.toMatchObject({
			code: -101,
			message: expect.stringContaining('SESSDATA'),
		});
		const wrongCsrf = simClient(ctx, {
			credentials: { ...ctx.sim.credentials, bili_jct: 'not-the-right-one' },
		});
		await expect(wrongCsrf.remarks.reply({ id: 1, msg: 'x' })).rejects.toMatchObject({
			code: -111,
			message: expect.stringContaining('bili_jct'),
		});
	});

	it('answers -101 from exp.php when DedeUserID is 0', async () => {
		const client = simClient(ctx, { credentials: { ...ctx.sim.credentials, DedeUserID: '0' } });
		await expect(client.account.getTodayCoinExp()).rejects.toMatchObject({ code: -101 });
	});

	// A property of the default runtime's sockets; in n8n, n8n's own HTTP agents decide.
	it('keeps one connection for many sequential calls (keep-alive, default runtime)', async () => {
		const client: BilibiliClient = simClient(ctx, { runtime: createNodeRuntime() });
		for (let i = 0; i < 20; i++) await client.account.getProfile();
		// Without keep-alive this is 20. Under heavy machine load Node may open a second socket when a
		// request's write completes after its response, so "a few" is the deterministic bound.
		expect(ctx.sim.connections).toBeLessThanOrEqual(3);
	});
});
