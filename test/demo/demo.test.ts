/** `npm run demo` end to end: the editor comes up, the flows do their work, Ctrl-C leaves nothing behind. */
import { existsSync } from 'node:fs';
import { startDemo } from '../helpers/demoProcess';

jest.setTimeout(120_000);

it('starts Node-RED with the example flows against a lively simulator and stops cleanly on SIGINT', async () => {
	const demo = startDemo('demo.js', { PORT: '0', SIM_PORT: '0', BILIBILI_SESSDATA: '' });
	try {
		const out = await demo.ready(60_000);
		const editor = /Node-RED editor: +(http:\/\/\S+)/.exec(out)?.[1];
		const sim = /Simulator: +(http:\/\/\S+)/.exec(out)?.[1];
		expect(editor).toBeDefined();
		expect((await fetch(editor!)).status).toBe(200);

		// Within a few lively cycles: a remark thanked, a kiosk code paid and thanked, the monthly charge made.
		type State = {
			remarks: Array<{ state: number }>;
			orders: Array<{ message?: string }>;
			qrCodes: Array<{ state: string }>;
		};
		let state: State = { remarks: [], orders: [], qrCodes: [] };
		for (let i = 0; i < 60; i++) {
			state = (await (await fetch(`${sim}/__sim/state`)).json()) as State;
			const thanked = state.remarks.some((r) => r.state === 1);
			const kiosk = state.orders.some((o) => o.message === '感谢扫码充电!');
			const monthly = state.orders.some((o) => o.message === '每月一充,支持一下!');
			if (thanked && kiosk && monthly) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		expect(state.remarks.some((r) => r.state === 1)).toBe(true);
		expect(state.orders.map((o) => o.message)).toEqual(
			expect.arrayContaining(['感谢扫码充电!', '每月一充,支持一下!']),
		);

		// The printed kiosk page shows a code; the editor starts without the telemetry/update dialog.
		const kioskUrl = /kiosk page shows the current code: (http:\/\/\S+)/.exec(out)?.[1];
		expect(kioskUrl).toBeDefined();
		expect(await (await fetch(kioskUrl!)).text()).toContain('<img src="data:image/png;base64,');
		const settings = (await (await fetch(`${editor}/settings`)).json()) as {
			telemetryEnabled?: boolean;
		};
		expect(settings.telemetryEnabled).toBe(false);
	} finally {
		demo.interrupt();
	}
	expect(await demo.exited).toBe(0);
	const userDir = /User directory: +(\S+)/.exec(demo.output())?.[1];
	expect(userDir).toBeDefined();
	expect(existsSync(userDir!)).toBe(false);
});
