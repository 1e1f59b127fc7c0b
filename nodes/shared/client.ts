/** n8n glue: a BilibiliClient from the node's `bilibiliApi` credentials, sending through n8n's helpers. */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, IPollFunctions, ITriggerFunctions } from 'n8n-workflow';
import { BilibiliClient, type BilibiliClientOptions } from '../../client';
import { CREDENTIAL_NAME, n8nRuntime } from './runtime';

export { CREDENTIAL_NAME };

export function credentialsFrom(data: ICredentialDataDecryptedObject): Pick<BilibiliClientOptions, 'credentials' | 'baseUrl' | 'rateLimit' | 'spendingLimits'> {
	const text = (key: string) => {
		const value = data[key];
		return value === undefined || value === null || value === '' ? undefined : String(value).trim();
	};
	return {
		credentials: { SESSDATA: text('SESSDATA') ?? '', bili_jct: text('bili_jct'), DedeUserID: text('DedeUserID'), buvid3: text('buvid3') },
		baseUrl: text('baseUrl'),
		rateLimit: { minIntervalMs: data.minIntervalMs === undefined || data.minIntervalMs === '' ? 100 : Math.max(0, Number(data.minIntervalMs)) },
		// Unset on credentials saved before the guard existed: the client's defaults (50, 200) apply.
		spendingLimits: { maxPerCharge: numberOrUndefined(data.maxBcoinPerCharge), maxPer24h: numberOrUndefined(data.maxBcoinPer24h) },
	};
}

function numberOrUndefined(value: unknown): number | undefined {
	return value === undefined || value === null || value === '' ? undefined : Number(value);
}

export async function clientFor(ctx: IExecuteFunctions | IPollFunctions | ITriggerFunctions, overrides: Partial<Omit<BilibiliClientOptions, 'runtime'>> = {}): Promise<BilibiliClient> {
	const data = await ctx.getCredentials(CREDENTIAL_NAME);
	return new BilibiliClient({ ...credentialsFrom(data), ...overrides, runtime: n8nRuntime(ctx) });
}
