/**
 * Risk control as reported in the field (risk-control.md): -352 to requests without a buvid3 cookie or
 * without a browser User-Agent. The client passes where a bare client fails, fetches its browser
 * identity once, and never loops on a -352.
 */
import axios from 'axios';
import { BilibiliRiskControlError } from '../../index';
import { simClient, useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const PROFILE = '/x/member/web/account';
const SPI = '/x/frontend/finger/spi';
/** A mid of its own per test: the browser identity is kept per account for the process's life. */
let nextMid = 700_000_500;
const freshAccount = () => ({ ...ctx.sim.credentials, DedeUserID: String(nextMid++) });

/** What a user would write by hand: the login cookies, nothing else. */
async function bareGet(path: string, headers: Record<string, string> = {}) {
	const { SESSDATA } = ctx.sim.credentials;
	const answer = await axios.get(ctx.url + path, {
		headers: { Cookie: `SESSDATA=${SESSDATA}`, ...headers },
	});
	return answer.data as { code: number; data?: { v_voucher?: string } };
}

describe('risk control (-352)', () => {
	it('a client without buvid3 fetches one browser identity and passes where a bare request fails', async () => {
		ctx.sim.riskControl = { requireBuvid3: true };
		expect(await bareGet(PROFILE)).toMatchObject({
			code: -352,
			data: { v_voucher: expect.any(String) },
		});
		const client = simClient(ctx, { credentials: freshAccount() });
		for (let i = 0; i < 3; i++) expect((await client.account.getProfile()).mid).toBeGreaterThan(0);
		expect(ctx.sim.requestsTo(SPI)).toHaveLength(1);
		const sent = ctx.sim.requestsTo(PROFILE).slice(-3);
		for (const r of sent)
			expect(r.cookies).toEqual(expect.arrayContaining(['SESSDATA', 'buvid3', 'buvid4']));
	});

	it('sends a browser User-Agent, which a bare axios call does not', async () => {
		ctx.sim.riskControl = { requireBrowserUa: true };
		expect(
			(await bareGet(PROFILE, { Cookie: `SESSDATA=${ctx.sim.credentials.SESSDATA}; buvid3=x` }))
				.code,
		).toBe(-352);
		const client = simClient(ctx, { credentials: freshAccount() });
		expect((await client.account.getProfile()).mid).toBeGreaterThan(0);
	});

	it('is a typed error, sent once and never retried, saying what helps', async () => {
		ctx.sim.riskControl = { requireBuvid3: true };
		const client = simClient(ctx, { credentials: freshAccount(), fetchBuvid: false });
		const err = await client.account.getProfile().catch((e: unknown) => e);
		expect(err).toBeInstanceOf(BilibiliRiskControlError);
		expect(err).toMatchObject({ code: -352, retryable: false, captchaAsked: true });
		expect((err as Error).message).toContain('风控校验失败');
		expect(ctx.sim.requestsTo(PROFILE)).toHaveLength(1);
		expect(ctx.sim.requestsTo(SPI)).toHaveLength(0);
	});

	it('a given buvid3 is used as is (no fetch)', async () => {
		ctx.sim.riskControl = { requireBuvid3: true };
		const client = simClient(ctx, {
			credentials: { ...freshAccount(), buvid3: 'GIVEN-BUVID3infoc' },
		});
		expect((await client.account.getProfile()).mid).toBeGreaterThan(0);
		expect(ctx.sim.requestsTo(SPI)).toHaveLength(0);
	});

	it('a failed identity fetch does not fail the request, and is not tried again at every request', async () => {
		ctx.sim.injectFault({ type: 'http500', path: SPI });
		const client = simClient(ctx, { credentials: freshAccount() });
		await client.account.getProfile();
		await client.account.getProfile();
		expect(ctx.sim.requestsTo(PROFILE)).toHaveLength(2);
		expect(ctx.sim.requestsTo(SPI)).toHaveLength(1);
		expect(ctx.sim.requestsTo(PROFILE)[0].cookies).not.toContain('buvid3');
	});

	describe('bili_ticket (optional, off by default)', () => {
		const TICKET = '/bapis/bilibili.api.ticket.v1.Ticket/GenWebTicket';

		it('is fetched once, signed as documented, and sent; without it such a server answers -352', async () => {
			ctx.sim.riskControl = { requireBiliTicket: true };
			const off = simClient(ctx, { credentials: freshAccount() });
			await expect(off.account.getProfile()).rejects.toBeInstanceOf(BilibiliRiskControlError);
			expect(ctx.sim.requestsTo(TICKET)).toHaveLength(0);
			const on = simClient(ctx, { credentials: freshAccount(), biliTicket: true });
			for (let i = 0; i < 3; i++) expect((await on.account.getProfile()).mid).toBeGreaterThan(0);
			expect(ctx.sim.requestsTo(TICKET)).toHaveLength(1);
			expect(
				ctx.sim
					.requestsTo(PROFILE)
					.slice(-3)
					.every((r) => r.cookies.includes('bili_ticket')),
			).toBe(true);
		});

		it('is renewed before it expires', async () => {
			ctx.sim.riskControl = { requireBiliTicket: true, ticketTtlSeconds: 2 };
			const client = simClient(ctx, { credentials: freshAccount(), biliTicket: true });
			await client.account.getProfile();
			// Past nine tenths of its life (the renewal point), not yet expired.
			await new Promise((r) => setTimeout(r, 1900));
			await client.account.getProfile();
			expect(ctx.sim.requestsTo(TICKET)).toHaveLength(2);
		});
	});
});
