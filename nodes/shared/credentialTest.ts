import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { BilibiliApiError, BilibiliClient } from '../../index';
import { credentialsFrom } from './client';

/**
 * Checks SESSDATA with the profile read, and bili_jct with a charge message on an order that does not
 * exist: Bilibili checks csrf first (-111) and otherwise refuses the order, so nothing is written.
 */
export async function bilibiliApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	let client: BilibiliClient | undefined;
	try {
		client = new BilibiliClient({ ...credentialsFrom(credential.data ?? {}), retry: { retries: 1 } });
		await client.account.getProfile();
		if (credential.data?.bili_jct) {
			await client.charge.sendChargeMessage({ order_no: 'N8N-CREDENTIAL-TEST', message: 'credential test' }).catch((err: unknown) => {
				if (err instanceof BilibiliApiError && err.code === -111) throw err;
			});
		}
		return { status: 'OK', message: 'Connection successful' };
	} catch (err) {
		if (err instanceof BilibiliApiError && err.code === -101) {
			return { status: 'Error', message: 'SESSDATA expired or wrong: log in again and copy the cookie' };
		}
		if (err instanceof BilibiliApiError && err.code === -111) {
			return { status: 'Error', message: 'bili_jct does not match this SESSDATA: copy both cookies from the same browser session' };
		}
		return { status: 'Error', message: (err as Error).message };
	} finally {
		client?.close();
	}
}
