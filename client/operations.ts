/**
 * The operations both faces offer, by API area, with their parameters in Bilibili's own names (the
 * names the API docs use). n8n's nodes and Node-RED's nodes take their operation lists from here and
 * are typed against it: an operation added to this table fails the type check of each face until that
 * face implements it, so one edit makes it appear in both.
 *
 * `n8n` names an operation value n8n's typeVersion 1 saved under another name (n8n's own
 * "getMany"/"get" words); `nodeRed: false` marks an operation Node-RED offers as a node of its own.
 */
export interface OperationSpec {
	/** Parameters, in Bilibili's names; the faces read their fields under these names. */
	readonly params: readonly string[];
	/** A write: `money` spends B-coins, `once` must not be sent twice. */
	readonly writes?: 'money' | 'once';
	readonly n8n?: string;
	readonly nodeRed?: false;
}

const CHARGE_PARAMS = ['up_mid', 'bp_num', 'otype', 'oid', 'is_bp_remains_prior'] as const;

export const OPERATIONS = {
	charge: {
		chargeWithBcoin: { params: CHARGE_PARAMS, writes: 'money' },
		// Money only when is_bp_remains_prior lets the code draw on this account's balance.
		createQrPay: { params: CHARGE_PARAMS, writes: 'once' },
		getQrPayStatus: { params: ['qr_token'] },
		// Node-RED: the bilibili-qrpay node makes a code and follows it.
		waitForQrPayment: { params: ['qr_token'], nodeRed: false },
		sendChargeMessage: { params: ['order_no', 'message'], writes: 'once' },
	},
	remarks: {
		list: { params: ['pn', 'ps', 'begin', 'end'], n8n: 'getMany' },
		detail: { params: ['id'], n8n: 'get' },
		reply: { params: ['id', 'msg'], writes: 'once' },
	},
	account: {
		getProfile: { params: [] },
		getDailyExpTasks: { params: [] },
		getTodayCoinExp: { params: [] },
		getVipInfo: { params: [] },
		getSecurityInfo: { params: [] },
		getRealnameStatus: { params: [] },
		getRealnameDetails: { params: [] },
		getCoinLog: { params: [] },
		updateSignature: { params: ['user_sign'], writes: 'once' },
		// n8n only: in Node-RED the account config node refreshes by itself (node-red/sessionKeeper.ts).
		refreshSession: { params: ['refresh_token'], writes: 'once', nodeRed: false },
	},
	customerService: {
		heartbeat: { params: [] },
		uploadFile: { params: ['file', 'filename'], writes: 'once' },
	},
} as const satisfies Record<string, Record<string, OperationSpec>>;

export type ApiArea = keyof typeof OPERATIONS;
export type OperationName<A extends ApiArea> = keyof (typeof OPERATIONS)[A] & string;

type Spec<A extends ApiArea, O extends OperationName<A>> = (typeof OPERATIONS)[A][O];

/** The value n8n saves for an operation (its typeVersion 1 names). */
type N8nValue<A extends ApiArea, O extends OperationName<A>> =
	Spec<A, O> extends { n8n: infer V extends string } ? V : O;
export type N8nOperation<A extends ApiArea> = {
	[O in OperationName<A>]: N8nValue<A, O>;
}[OperationName<A>];

/** The operations Node-RED's node for an area offers. */
export type NodeRedOperation<A extends ApiArea> = {
	[O in OperationName<A>]: Spec<A, O> extends { nodeRed: false } ? never : O;
}[OperationName<A>];

function specs(area: ApiArea): Array<[string, OperationSpec]> {
	return Object.entries(OPERATIONS[area]);
}

export function n8nOperations<A extends ApiArea>(area: A): Array<N8nOperation<A>> {
	return specs(area).map(([name, spec]) => (spec.n8n ?? name) as N8nOperation<A>);
}

export function nodeRedOperations<A extends ApiArea>(area: A): Array<NodeRedOperation<A>> {
	return specs(area)
		.filter(([, spec]) => spec.nodeRed !== false)
		.map(([name]) => name as NodeRedOperation<A>);
}

/** The operations of an area that take `param`: where a field belongs in an editor. */
export function operationsTaking(area: ApiArea, param: string): string[] {
	return specs(area)
		.filter(([, spec]) => spec.params.includes(param))
		.map(([name]) => name);
}
