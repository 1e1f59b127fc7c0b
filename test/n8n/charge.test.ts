import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { readWorkflow, runWorkflow } from '../../dev/n8nEngine';
import { simClient, useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const creds = () => ({ bilibiliApi: { ...ctx.sim.credentials, baseUrl: ctx.url } });
const PAY_QUICK = '/x/ugcpay/web/v2/trade/elec/pay/quick';
const SELF = 293793435;

describe('Bilibili Charge node in a workflow', () => {
	it('charges each item with its own amount, then leaves each its message', async () => {
		const result = await runWorkflow(readWorkflow('charge-bcoin.workflow.json'), {
			credentials: creds(),
			input: [
				{ json: { up_mid: SELF, amount: 2, message: '第一次' } },
				{ json: { up_mid: String(SELF), amount: 5, message: '第二次' } },
			],
		});
		expect(result.output('Charge').map((i) => [i.json.bp_num, i.json.status])).toEqual([
			[2, 4],
			[5, 4],
		]);
		expect(ctx.sim.state.balance).toBe(93);
		expect(result.output('Send Charge Message').map((i) => i.json.message)).toEqual([
			'第一次',
			'第二次',
		]);
		expect(ctx.sim.state.remarks.map((r) => r.msg)).toEqual(['第一次', '第二次']);
	});

	it.each([
		[1, 'Invalid Amount (B-Coins): expected an integer from 2 to 9999, got 1'],
		[10000, 'Invalid Amount (B-Coins): expected an integer from 2 to 9999, got 10000'],
	])('refuses amount %d before any request', async (amount, message) => {
		const result = await runWorkflow(readWorkflow('charge-bcoin.workflow.json'), {
			credentials: creds(),
			input: [{ json: { up_mid: SELF, amount, message: 'x' } }],
		});
		expect(result.error('Charge')?.message).toBe(message);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(0);
	});

	it('reports a lost charge answer as outcome unknown, sent once', async () => {
		ctx.sim.injectFault({ type: 'drop', after: true, path: PAY_QUICK });
		const result = await runWorkflow(readWorkflow('charge-bcoin.workflow.json'), {
			credentials: creds(),
			input: [{ json: { up_mid: SELF, amount: 2, message: 'x' } }],
		});
		expect(result.error('Charge')?.message).toContain(
			'Outcome unknown — check the order history before charging again',
		);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
	});

	it('with Continue On Fail, a low balance becomes an error item with code and explanation', async () => {
		ctx.sim.state.balance = 3;
		const workflow = readWorkflow('charge-bcoin.workflow.json');
		workflow.nodes.find((n) => n.name === 'Charge')!.onError = 'continueRegularOutput';
		const result = await runWorkflow(workflow, {
			credentials: creds(),
			input: [{ json: { up_mid: SELF, amount: 5, message: 'x' } }],
		});
		expect(result.output('Charge')[0].json).toMatchObject({
			error: expect.stringContaining('Bilibili 800409904 on charge.chargeWithBcoin'),
			details: {
				code: 800409904,
				explanation: 'B-coin balance too low for this charge',
				bilibiliMessage: expect.stringContaining('B 币余额不足'),
			},
		});
	});

	it('creates a QR code with its PNG, reads its status, waits for payment and leaves a message', async () => {
		// A fan scans and pays every new code shortly after it appears.
		const payer = setInterval(() => {
			for (const qr of ctx.sim.state.qrCodes.values())
				if (qr.state !== 'paid') ctx.sim.state.payQr(qr.token);
		}, 200);
		try {
			const result = await runWorkflow(readWorkflow('charge-qr.workflow.json'), {
				credentials: creds(),
				input: [{ json: { up_mid: SELF, avid: '170001' } }],
			});
			const [created] = result.output('Create QR Pay Code');
			expect(created.json).toMatchObject({
				qr_token: expect.any(String),
				qr_code_url: expect.stringContaining('token='),
				expires_at: expect.any(String),
			});
			expect(created.binary?.qr).toMatchObject({
				mimeType: 'image/png',
				fileName: `bilibili-charge-${created.json.qr_token}.png`,
			});
			const image = PNG.sync.read(Buffer.from(created.binary!.qr.data, 'base64'));
			expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(
				created.json.qr_code_url,
			);
			expect(result.output('Get QR Pay Status')[0].json).toMatchObject({
				qr_token: created.json.qr_token,
				state: expect.stringMatching(/not_scanned|paid/),
			});
			const [waited] = result.output('Wait for QR Payment');
			expect(waited.json).toMatchObject({ state: 'paid', order_no: expect.any(String) });
			expect(result.output('Send Charge Message')[0].json).toMatchObject({
				success: true,
				order_no: waited.json.order_no,
			});
			expect(
				ctx.sim.requestsTo('/x/ugcpay/web/v2/trade/elec/pay/qr_code/create')[0].form,
			).toMatchObject({
				otype: 'archive',
				oid: '170001',
				bp_num: '5',
				is_bp_remains_prior: 'false',
			});
		} finally {
			clearInterval(payer);
		}
	});

	it('Create QR Pay Code left at its defaults does not use the B-coin balance', async () => {
		const workflow = readWorkflow('charge-qr.workflow.json');
		const create = workflow.nodes.find((n) => n.name === 'Create QR Pay Code')!;
		// As a node saved before the default changed: n8n stores no value for a parameter left at its default.
		delete (create.parameters as Record<string, unknown>).preferBalance;
		workflow.connections = {};
		await runWorkflow(workflow, {
			credentials: creds(),
			startAt: 'Create QR Pay Code',
			input: [{ json: { up_mid: SELF, avid: '170001' } }],
		});
		expect(
			ctx.sim
				.requestsTo('/x/ugcpay/web/v2/trade/elec/pay/qr_code/create')
				.map((r) => r.form.is_bp_remains_prior),
		).toEqual(['false']);
	});

	it('Continue (using error output) sends each failed item down the error output, the good one down the success output', async () => {
		ctx.sim.state.balance = 10;
		const workflow = readWorkflow('charge-bcoin.workflow.json');
		workflow.nodes.find((n) => n.name === 'Charge')!.onError = 'continueErrorOutput';
		const result = await runWorkflow(workflow, {
			credentials: creds(),
			input: [
				{ json: { up_mid: SELF, amount: 1, message: 'invalid' } },
				{ json: { up_mid: SELF, amount: 20, message: 'refused' } },
				{ json: { up_mid: SELF, amount: 2, message: 'good' } },
			],
		});
		expect(result.output('Charge').map((i) => [i.json.bp_num, i.json.status])).toEqual([[2, 4]]);
		const failed = result.output('Charge', 1);
		expect(failed.map((i) => i.json.message)).toEqual(['invalid', 'refused']);
		expect(failed[0].json).toMatchObject({
			error: 'Invalid Amount (B-Coins): expected an integer from 2 to 9999, got 1',
			details: { field: 'Amount (B-Coins)' },
		});
		expect(failed[1].json).toMatchObject({
			details: { code: 800409904, explanation: 'B-coin balance too low for this charge' },
		});
		expect(result.output('Send Charge Message').map((i) => i.json.message)).toEqual(['good']);
		expect(ctx.sim.requestsTo(PAY_QUICK)).toHaveLength(2);
	});

	it('Stop (or a workflow timeout) ends Wait for QR Payment at once', async () => {
		const code = await simClient(ctx).charge.createQrPay({ up_mid: SELF, bp_num: 5 });
		const workflow = readWorkflow('charge-qr.workflow.json');
		const wait = workflow.nodes.find((n) => n.name === 'Wait for QR Payment')!;
		wait.parameters = { ...wait.parameters, qrToken: code.qr_token, timeoutMinutes: 10 };
		const STATUS = '/x/ugcpay/trade/elec/pay/order/status';
		let cancel = () => {};
		const running = runWorkflow(workflow, {
			credentials: creds(),
			startAt: 'Wait for QR Payment',
			input: [{ json: {} }],
			onStart: (c) => (cancel = c),
		});
		while (ctx.sim.requestsTo(STATUS).length < 2) await new Promise((r) => setTimeout(r, 20));
		cancel();
		const result = await running;
		expect(result.run.status).toBe('canceled');
		const polls = ctx.sim.requestsTo(STATUS).length;
		// It polled every second before; three seconds without a poll means it stopped.
		await new Promise((r) => setTimeout(r, 3000));
		expect(ctx.sim.requestsTo(STATUS)).toHaveLength(polls);
	});
});

describe('the spending guard set on the n8n credential', () => {
	// An account of its own (its own login and mid), so the process-wide ledger starts empty for it.
	const guarded = useSimulator({
		credentials: { SESSDATA: 'guard-sessdata-77%2C1799999999%2Cg*1', DedeUserID: '800000002' },
	});

	it('refuses a charge above the credential maximum before anything is sent, naming the setting', async () => {
		const result = await runWorkflow(readWorkflow('charge-bcoin.workflow.json'), {
			credentials: {
				bilibiliApi: {
					...guarded.sim.credentials,
					baseUrl: guarded.url,
					maxBcoinPerCharge: 10,
					maxBcoinPer24h: 15,
				},
			},
			input: [{ json: { up_mid: SELF, amount: 11, message: 'too much at once' } }],
		});
		const err = result.error('Charge');
		expect(err?.name).toBe('NodeOperationError');
		expect(err?.message).toContain(
			'Spending limit: a charge of 11 B-coins is over the maximum per charge (10)',
		);
		expect(err?.message).toContain('"Maximum B-Coins per Charge"');
		expect(guarded.sim.requestsTo(PAY_QUICK)).toHaveLength(0);
	});

	it('counts across executions: the 24-hour maximum stops the second run', async () => {
		const credentials = {
			bilibiliApi: {
				...guarded.sim.credentials,
				baseUrl: guarded.url,
				maxBcoinPerCharge: 10,
				maxBcoinPer24h: 15,
			},
		};
		const first = await runWorkflow(readWorkflow('charge-bcoin.workflow.json'), {
			credentials,
			input: [{ json: { up_mid: SELF, amount: 10, message: 'one' } }],
		});
		expect(first.output('Charge')[0].json).toMatchObject({ status: 4, bp_num: 10 });
		const second = await runWorkflow(readWorkflow('charge-bcoin.workflow.json'), {
			credentials,
			input: [{ json: { up_mid: SELF, amount: 10, message: 'two' } }],
		});
		expect(second.error('Charge')?.message).toContain(
			'10 B-coins were charged from this account in the last 24 hours; 10 more would pass the maximum of 15 per 24 hours',
		);
		expect(guarded.sim.requestsTo(PAY_QUICK)).toHaveLength(1);
	});
});

describe('the minimum balance set on the n8n credential', () => {
	const floored = useSimulator({
		credentials: { SESSDATA: 'floor-sessdata-31%2C1799999999%2Cf*1', DedeUserID: '800000031' },
	});

	it('keeps the credential minimum balance: reads the wallet, refuses a charge leaving less, unsent', async () => {
		floored.sim.state.balance = 30;
		const result = await runWorkflow(readWorkflow('charge-bcoin.workflow.json'), {
			credentials: {
				bilibiliApi: { ...floored.sim.credentials, baseUrl: floored.url, minBcoinBalance: 25 },
			},
			input: [
				{ json: { up_mid: SELF, amount: 5, message: 'down to the floor' } },
				{ json: { up_mid: SELF, amount: 2, message: 'below it' } },
			],
		});
		const err = result.error('Charge');
		expect(err?.name).toBe('NodeOperationError');
		expect(err?.message).toContain(
			'the B-coin balance is 25; a charge of 2 would leave 23, below the minimum balance to keep (25)',
		);
		expect(err?.message).toContain('"Minimum B-Coin Balance to Keep"');
		expect(floored.sim.requestsTo(PAY_QUICK).map((r) => r.form.bp_num)).toEqual(['5']);
		expect(floored.sim.state.balance).toBe(25);
	});
});
