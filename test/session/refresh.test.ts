/**
 * Keeping a login alive against the simulator's cookie-refresh endpoints (its own key pair): the new
 * session reaches the caller before the old one is confirmed away, the client switches to it, the old
 * cookies then fail with -101, and a failure at any step leaves the old session as it was.
 */
import {
	BilibiliClient,
	BilibiliSessionRefreshError,
	type BilibiliClientOptions,
	type RefreshedSession,
} from '../../index';
import { SIM_REFRESH_TOKEN } from '../../simulator/state';
import { useSimulator } from '../helpers/sim';

const ctx = useSimulator();
const CONFIRM = '/x/passport-login/web/confirm/refresh';
const REFRESH = '/x/passport-login/web/cookie/refresh';

function client(overrides: Partial<BilibiliClientOptions> = {}) {
	const c = new BilibiliClient({
		credentials: ctx.sim.credentials,
		baseUrl: ctx.url,
		rateLimit: false,
		fetchBuvid: false,
		refreshPublicKey: ctx.sim.refreshKeys.publicKey,
		...overrides,
	});
	ctx.clients.push(c);
	return c;
}

describe('session refresh', () => {
	it('says whether a refresh is due', async () => {
		const c = client();
		expect((await c.session.getRefreshStatus()).refresh).toBe(false);
		ctx.sim.state.refreshDue = true;
		expect(await c.session.getRefreshStatus()).toEqual({
			refresh: true,
			timestamp: expect.any(Number),
		});
	});

	it('does nothing when no refresh is due', async () => {
		const c = client();
		const onRefreshed = jest.fn();
		expect(
			await c.session.refresh({ refreshToken: SIM_REFRESH_TOKEN, onRefreshed }),
		).toBeUndefined();
		expect(onRefreshed).not.toHaveBeenCalled();
		expect(ctx.sim.requestsTo(REFRESH)).toHaveLength(0);
	});

	it('hands the new session over before confirming, switches to it, and the old cookies die', async () => {
		ctx.sim.state.refreshDue = true;
		const c = client();
		let handed: RefreshedSession | undefined;
		let confirmsWhenHanded = -1;
		let oldWorkedWhenHanded = false;
		const session = await c.session.refresh({
			refreshToken: SIM_REFRESH_TOKEN,
			onRefreshed: async (s) => {
				handed = s;
				confirmsWhenHanded = ctx.sim.requestsTo(CONFIRM).length;
				oldWorkedWhenHanded = (await client().account.getProfile()).mid > 0;
			},
		});
		expect(session).toEqual(handed);
		expect(confirmsWhenHanded).toBe(0);
		expect(oldWorkedWhenHanded).toBe(true);
		expect(session).toMatchObject({ DedeUserID: String(ctx.sim.credentials.DedeUserID) });
		expect(session!.SESSDATA).not.toBe(ctx.sim.credentials.SESSDATA);
		expect(session!.refresh_token).not.toBe(SIM_REFRESH_TOKEN);
		// The refreshed client goes on working; a client with the old cookies is logged out.
		expect((await c.account.getProfile()).mid).toBeGreaterThan(0);
		await expect(client().account.getProfile()).rejects.toMatchObject({ code: -101 });
		const fresh = client({
			credentials: {
				SESSDATA: session!.SESSDATA,
				bili_jct: session!.bili_jct,
				DedeUserID: session!.DedeUserID,
			},
		});
		expect((await fresh.account.getProfile()).mid).toBeGreaterThan(0);
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(1);
		expect(ctx.sim.requestsTo(CONFIRM)[0].csrfValid).toBe(true);
	});

	it('a failure to store the new session confirms nothing: the old cookies stay in use', async () => {
		ctx.sim.state.refreshDue = true;
		const c = client();
		const err = await c.session
			.refresh({
				refreshToken: SIM_REFRESH_TOKEN,
				onRefreshed: () => {
					throw new Error('disk full');
				},
			})
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(BilibiliSessionRefreshError);
		expect(err).toMatchObject({ step: 'persist', switched: false });
		expect((err as Error).message).toContain('disk full');
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(0);
		expect((await c.account.getProfile()).mid).toBeGreaterThan(0);
	});

	it.each([
		['correspond', { refreshPublicKey: undefined }, SIM_REFRESH_TOKEN],
		['refresh', {}, 'not-this-sessions-token'],
	] as const)(
		'stops at "%s" and changes nothing, naming the step',
		async (step, overrides, token) => {
			ctx.sim.state.refreshDue = true;
			// Without the simulator's key the correspond page is a 404, as with a stale path on Bilibili.
			const c = client(overrides);
			const err = await c.session
				.refresh({ refreshToken: token, onRefreshed: jest.fn() })
				.catch((e: unknown) => e);
			expect(err).toMatchObject({
				name: 'BilibiliSessionRefreshError',
				step,
				switched: false,
				tokenMaySpent: false,
			});
			expect((await c.account.getProfile()).mid).toBeGreaterThan(0);
			for (const secret of [token, ctx.sim.credentials.SESSDATA, ctx.sim.credentials.bili_jct])
				expect(
					JSON.stringify({ m: (err as Error).message, s: (err as Error).stack }),
				).not.toContain(secret);
		},
	);

	it('two refreshes at once are one refresh (a token is spent by its first use)', async () => {
		ctx.sim.state.refreshDue = true;
		const c = client();
		const onRefreshed = jest.fn();
		const [a, b] = await Promise.all([
			c.session.refresh({ refreshToken: SIM_REFRESH_TOKEN, onRefreshed }),
			c.session.refresh({ refreshToken: SIM_REFRESH_TOKEN, onRefreshed }),
		]);
		expect(a).toEqual(b);
		expect(onRefreshed).toHaveBeenCalledTimes(1);
		expect(ctx.sim.requestsTo(REFRESH)).toHaveLength(1);
	});

	it('confirm: false leaves both sessions working (for hosts that store cookies themselves)', async () => {
		ctx.sim.state.refreshDue = true;
		const session = await client().session.refresh({
			refreshToken: SIM_REFRESH_TOKEN,
			onRefreshed: jest.fn(),
			confirm: false,
		});
		expect(ctx.sim.requestsTo(CONFIRM)).toHaveLength(0);
		expect((await client().account.getProfile()).mid).toBeGreaterThan(0);
		expect(session?.SESSDATA).toBeTruthy();
	});

	it('a lost refresh answer may have spent the token: reported so, the old session still in use', async () => {
		ctx.sim.state.refreshDue = true;
		ctx.sim.injectFault({ type: 'drop', path: REFRESH, after: true });
		const c = client();
		const err = await c.session
			.refresh({ refreshToken: SIM_REFRESH_TOKEN, onRefreshed: jest.fn() })
			.catch((e: unknown) => e);
		expect(err).toMatchObject({ step: 'refresh', switched: false, tokenMaySpent: true });
		expect((err as Error).message).toMatch(/may be spent.*bilibili-login/);
		expect((await c.account.getProfile()).mid).toBeGreaterThan(0);
		// Bilibili did refresh: the token is spent, and a second try is refused, changing nothing.
		const again = await c.session
			.refresh({ refreshToken: SIM_REFRESH_TOKEN, onRefreshed: jest.fn(), force: true })
			.catch((e: unknown) => e);
		expect(again).toMatchObject({ step: 'refresh', tokenMaySpent: false });
	});

	it("a refresh token that is not this login's: 86095 explained in English, nothing changed", async () => {
		const c = client();
		const err = await c.session
			.refresh({ refreshToken: 'not-this-logins-token', onRefreshed: jest.fn(), force: true })
			.catch((e: unknown) => e);
		expect(err).toMatchObject({ step: 'refresh', switched: false, tokenMaySpent: false });
		expect((err as Error).message).toBe(
			'Session refresh failed at "refresh": Bilibili 86095 on session.refresh: Session refresh refused: refresh_csrf is wrong, or the refresh token does not belong to these cookies (used already, or from another login). If it keeps failing, log in again with the QR code (refresh_csrf 错误或 refresh_token 与 cookie 不匹配). Nothing changed: the old cookies are still in use',
		);
		expect((await c.account.getProfile()).mid).toBeGreaterThan(0);
	});

	it("keeps a given buvid3 and the account's spending budget across the switch", async () => {
		ctx.sim.state.refreshDue = true;
		// No DedeUserID: the budget is known only by the login, which the refresh replaces.
		const { SESSDATA, bili_jct } = ctx.sim.credentials;
		const c = client({
			credentials: { SESSDATA, bili_jct, buvid3: 'GIVEN-BUVID3infoc' },
			spendingLimits: { maxPerCharge: 10, maxPer24h: 10 },
		});
		const up_mid = ctx.sim.credentials.DedeUserID;
		await c.charge.chargeWithBcoin({ up_mid, bp_num: 10 });
		await c.session.refresh({ refreshToken: SIM_REFRESH_TOKEN, onRefreshed: jest.fn() });
		await expect(c.charge.chargeWithBcoin({ up_mid, bp_num: 2 })).rejects.toMatchObject({
			name: 'BilibiliSpendingLimitError',
			limit: 'maxPer24h',
		});
		await c.account.getProfile();
		expect(ctx.sim.requestsTo('/x/member/web/account').pop()!.cookies).toContain('buvid3');
	});
});
