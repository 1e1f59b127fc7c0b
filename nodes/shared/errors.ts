/** Maps client errors to n8n's error classes, keeping Bilibili's code and both explanations. */
import { NodeApiError, NodeOperationError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';
import { BilibiliApiError, BilibiliValidationError } from '../../index';

export function toNodeError(node: INode, err: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (err instanceof BilibiliValidationError) {
		return new NodeOperationError(node, err.message, { itemIndex, description: `Check the "${err.field}" parameter. Nothing was sent to Bilibili.` });
	}
	if (err instanceof BilibiliApiError) {
		return new NodeApiError(node, err.toJSON() as unknown as JsonObject, {
			itemIndex,
			message: err.message,
			description: [err.explanation, err.bilibiliMessage && `Bilibili: ${err.bilibiliMessage}`, err.detail].filter(Boolean).join(' — '),
			httpCode: err.httpStatus ? String(err.httpStatus) : undefined,
		});
	}
	if (err instanceof NodeApiError || err instanceof NodeOperationError) return err;
	return new NodeOperationError(node, err as Error, { itemIndex });
}

/** What a failed item carries downstream when "Continue On Fail" is on. */
export function errorJson(err: unknown): IDataObject {
	if (err instanceof BilibiliApiError) {
		return { error: err.message, code: err.code, explanation: err.explanation, bilibiliMessage: err.bilibiliMessage, endpoint: err.endpoint, detail: err.detail };
	}
	if (err instanceof BilibiliValidationError) return { error: err.message, field: err.field, expected: err.expected, given: err.given };
	return { error: (err as Error)?.message ?? String(err) };
}
