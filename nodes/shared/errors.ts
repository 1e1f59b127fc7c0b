/** Maps client errors to n8n's error classes, keeping Bilibili's code and both explanations. */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type IPollFunctions,
	type ITriggerFunctions,
	type JsonObject,
} from 'n8n-workflow';
import {
	BilibiliApiError,
	BilibiliSpendingLimitError,
	BilibiliValidationError,
} from '../../client';
import { CREDENTIAL_NAME } from './runtime';
import { renewedButNotStored } from './sessionRenewal';

/** The client names Bilibili's fields; in n8n the user looks for the parameter they see. */
const PARAMETER_NAMES: Record<string, string> = {
	bp_num: 'Amount (B-Coins)',
	up_mid: 'Creator (UP) Mid',
	oid: 'Video Avid',
	'oid (the video avid)': 'Video Avid',
	otype: 'Source',
	is_bp_remains_prior: 'Prefer B-Coin Balance',
	qr_token: 'QR Token',
	order_no: 'Order No',
	message: 'Message',
	msg: 'Message',
	user_sign: 'Signature',
	id: 'Remark ID',
	begin: 'From Date',
	end: 'To Date',
	filename: 'File Name',
	contentType: 'MIME type of the binary data',
	mid: 'DedeUserID (in the credential)',
	bili_jct: 'Bili_jct (in the credential)',
	DedeUserID: 'DedeUserID (in the credential)',
	SESSDATA: 'SESSDATA (in the credential)',
};

/**
 * -101 on a login this n8n keeps alive (the credential has a Refresh Token): the likeliest cause is a
 * refresh made by another holder of the same login, which ends these cookies.
 */
export function refreshedElsewhere(err: BilibiliApiError, renewedHere: boolean): BilibiliApiError {
	return new BilibiliApiError({
		code: err.code,
		endpoint: err.endpoint,
		httpStatus: err.httpStatus,
		bilibiliMessage: err.bilibiliMessage,
		detail: err.detail,
		notSent: err.notSent,
		explanation: renewedHere
			? 'Not logged in: this n8n renewed this login, but the credential still holds the old cookies, which were ended (were the new values kept from the credential by an expression or external secret?). Log in again (bilibili-login) and store the new values as plain fields'
			: 'Not logged in: this login was refreshed elsewhere (another n8n, Node-RED or a browser using the same login renewed it, which ends these cookies), or it was logged out. Log in again (bilibili-login), store the new values in the credential, and give each place its own login',
	});
}

/** A -101 on a login with a Refresh Token: say it was probably refreshed elsewhere, and what to do. */
export async function explainLoggedOut(
	ctx: IExecuteFunctions | IPollFunctions | ITriggerFunctions,
	err: unknown,
): Promise<unknown> {
	if (!(err instanceof BilibiliApiError) || err.code !== -101) return err;
	try {
		const data = await ctx.getCredentials(CREDENTIAL_NAME);
		const refreshToken = Object.hasOwn(data, 'refreshToken') ? String(data.refreshToken ?? '') : '';
		if (!refreshToken.trim()) return err;
		return refreshedElsewhere(err, await renewedButNotStored(data));
	} catch {
		return err;
	}
}

export function parameterName(field: string): string {
	return PARAMETER_NAMES[field] ?? field;
}

export function toNodeError(
	node: INode,
	err: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (err instanceof BilibiliSpendingLimitError) {
		return new NodeOperationError(node, err.message, {
			itemIndex,
			description:
				'The spending guard is set in the Bilibili credential. Nothing was sent to Bilibili.',
		});
	}
	if (err instanceof BilibiliValidationError) {
		const name = parameterName(err.field);
		return new NodeOperationError(
			node,
			`Invalid ${name}: expected ${err.expected}, got ${err.given}`,
			{
				itemIndex,
				description: `Check the "${name}" parameter. Nothing was sent to Bilibili.`,
			},
		);
	}
	if (err instanceof BilibiliApiError) {
		return new NodeApiError(node, err.toJSON() as unknown as JsonObject, {
			itemIndex,
			message: err.message,
			description: [
				err.explanation,
				err.bilibiliMessage && `Bilibili: ${err.bilibiliMessage}`,
				err.detail,
			]
				.filter(Boolean)
				.join(' — '),
			httpCode: err.httpStatus ? String(err.httpStatus) : undefined,
		});
	}
	if (err instanceof NodeApiError || err instanceof NodeOperationError) return err;
	return new NodeOperationError(node, err as Error, { itemIndex });
}

/**
 * What a failed item carries downstream with "Continue On Fail": the message in `error` and the rest
 * under `details`. n8n sends an item down the error output ("Continue (using error output)") only when
 * its json has no keys but error, message and details.
 */
export function errorJson(err: unknown): IDataObject {
	if (err instanceof BilibiliApiError) {
		return {
			error: err.message,
			details: {
				code: err.code,
				explanation: err.explanation,
				bilibiliMessage: err.bilibiliMessage,
				endpoint: err.endpoint,
				detail: err.detail,
			},
		};
	}
	if (err instanceof BilibiliSpendingLimitError) {
		return {
			error: err.message,
			details: {
				field: parameterName(err.field),
				limit: err.limit,
				limitValue: err.limitValue,
				spent24h: err.spent24h,
			},
		};
	}
	if (err instanceof BilibiliValidationError) {
		const field = parameterName(err.field);
		return {
			error: `Invalid ${field}: expected ${err.expected}, got ${err.given}`,
			details: { field, expected: err.expected, given: err.given },
		};
	}
	return { error: (err as Error)?.message ?? String(err) };
}
