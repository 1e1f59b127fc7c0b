/** `npm run demo:n8n` end to end: n8n comes up with the examples, the owner can log in, the kiosk works, Ctrl-C leaves nothing. */
import { existsSync } from 'node:fs';
import { startDemo } from '../helpers/demoProcess';

jest.setTimeout(20 * 60_000);

it('starts n8n with the example workflows, an owner login and the trigger examples active; stops cleanly on SIGINT', async () => {
	const demo = startDemo('demo-n8n.js', { PORT: '0', SIM_PORT: '0' });
	try {
		// The first run installs n8n into the cache: minutes.
		const out = await demo.ready(15 * 60_000);
		const editor = /n8n editor: +(http:\/\/\S+)/.exec(out)?.[1];
		const [, email, password] = /Log in as: +(\S+) \/ (\S+)/.exec(out) ?? [];
		const sim = /Simulator: +(http:\/\/\S+)/.exec(out)?.[1];
		expect([editor, email, password, sim].every(Boolean)).toBe(true);

		const login = await fetch(`${editor}/rest/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: email, password }),
		});
		expect(login.status).toBe(200);
		const cookie = login.headers.get('set-cookie')!.split(';')[0];
		const workflows = (await (
			await fetch(`${editor}/rest/workflows`, { headers: { cookie } })
		).json()) as { data: Array<{ name: string; active: boolean }> };
		expect(workflows.data.map((w) => [w.name, w.active]).sort()).toEqual([
			['Daily account report', false],
			['Monthly B-coin charge with a message', false],
			['QR charge kiosk: thank every payer', true],
			['Thank every new charge remark', true],
		]);

		// The kiosk keeps a code ready; paying it leaves the thank-you message (the example's IF node routes "paid").
		type State = { qrCodes: Array<{ token: string }>; orders: Array<{ message?: string }> };
		const state = async () => (await (await fetch(`${sim}/__sim/state`)).json()) as State;
		let code: { token: string } | undefined;
		for (let i = 0; i < 120 && !code; i++) {
			[code] = (await state()).qrCodes;
			await new Promise((r) => setTimeout(r, 250));
		}
		expect(code).toBeDefined();
		await fetch(`${sim}/__sim/qr/pay`, {
			method: 'POST',
			body: JSON.stringify({ token: code!.token }),
		});
		let messages: Array<string | undefined> = [];
		for (let i = 0; i < 120 && !messages.includes('感谢扫码充电!'); i++) {
			messages = (await state()).orders.map((o) => o.message);
			await new Promise((r) => setTimeout(r, 250));
		}
		expect(messages).toContain('感谢扫码充电!');
	} finally {
		demo.interrupt();
	}
	expect(await demo.exited).toBe(0);
	const folder = /User folder: +(\S+)/.exec(demo.output())?.[1];
	expect(folder).toBeDefined();
	expect(existsSync(folder!)).toBe(false);
});
