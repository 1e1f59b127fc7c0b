/** n8n glue: a BilibiliClient from the node's `bilibiliApi` credentials, sending through n8n's helpers. */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IPollFunctions,
	ITriggerFunctions,
} from 'n8n-workflow';
import { BilibiliClient, type BilibiliClientOptions } from '../../client';
import { CREDENTIAL_NAME, n8nRuntime } from './runtime';

export { CREDENTIAL_NAME };

export function credentialsFrom(
	data: ICredentialDataDecryptedObject,
): Pick<
	BilibiliClientOptions,
	'credentials' | 'baseUrl' | 'rateLimit' | 'spendingLimits' | 'biliTicket'
> {
	const text = (key: string) => {
		// Own fields only, as the client reads its options: a polluted prototype cannot redirect the cookies.
		const value = Object.hasOwn(data, key) ? data[key] : undefined;
		return value === undefined || value === null || value === '' ? undefined : String(value).trim();
	};
	return {
		credentials: {
			SESSDATA: text('SESSDATA') ?? '',
			bili_jct: text('bili_jct'),
			DedeUserID: text('DedeUserID'),
			buvid3: text('buvid3'),
		},
		baseUrl: text('baseUrl'),
		biliTicket: Object.hasOwn(data, 'biliTicket') && data.biliTicket === true,
		// Blank: the client's defaults (100 ms; and 50, 200 on credentials saved before the guard existed).
		rateLimit: { minIntervalMs: numberOrUndefined(text('minIntervalMs')) },
		spendingLimits: {
			maxPerCharge: numberOrUndefined(text('maxBcoinPerCharge')),
			maxPer24h: numberOrUndefined(text('maxBcoinPer24h')),
			minBcoinBalance: numberOrUndefined(text('minBcoinBalance')),
		},
	};
}

function numberOrUndefined(value: string | undefined): number | undefined {
	return value === undefined ? undefined : Number(value);
}

export async function clientFor(
	ctx: IExecuteFunctions | IPollFunctions | ITriggerFunctions,
	overrides: Partial<Omit<BilibiliClientOptions, 'runtime'>> = {},
): Promise<BilibiliClient> {
	const data = await ctx.getCredentials(CREDENTIAL_NAME);
	return new BilibiliClient({ ...credentialsFrom(data), ...overrides, runtime: n8nRuntime(ctx) });
}
