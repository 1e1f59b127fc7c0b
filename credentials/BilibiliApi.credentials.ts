import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { checkCredentials, cookieHeader } from '../client/transport/cookies';
import { CHECK_FIELD, RENEWAL_FIELD, renewLogin } from '../nodes/shared/sessionRenewal';
import { BROWSER_USER_AGENT } from '../client/transport/hosts';

type Signable = IHttpRequestOptions & { form?: unknown; formData?: unknown };

function isPlainObject(value: unknown): value is IDataObject {
	return (
		typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
	);
}

function headerValue(headers: IHttpRequestOptions['headers'], name: string): string {
	const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
	return key ? String(headers![key]) : '';
}

/**
 * csrf (bili_jct) in a write's body, however it is written: this package's nodes send a plain object;
 * n8n's HTTP Request node sends Form-Urlencoded as `form`, Form-Data as `formData` and a raw
 * urlencoded text as `body`. A csrf the user set is left as it is.
 */
function signWrite(options: Signable, csrf: string): void {
	if (isPlainObject(options.form)) {
		if (options.form.csrf === undefined) options.form = { ...options.form, csrf };
	} else if (isPlainObject(options.formData)) {
		if (options.formData.csrf === undefined) options.formData = { ...options.formData, csrf };
	} else if (isMultipart(options.formData)) {
		addToMultipart(options.formData, csrf);
	} else if (isMultipart(options.body)) {
		addToMultipart(options.body, csrf);
	} else if (options.body instanceof URLSearchParams) {
		if (!options.body.has('csrf')) {
			const body = new URLSearchParams(options.body);
			body.set('csrf', csrf);
			options.body = body;
		}
	} else if (
		typeof options.body === 'string' &&
		/^application\/x-www-form-urlencoded/i.test(headerValue(options.headers, 'content-type'))
	) {
		if (!new URLSearchParams(options.body).has('csrf'))
			options.body = `${options.body}${options.body ? '&' : ''}csrf=${encodeURIComponent(csrf)}`;
	} else if (isPlainObject(options.body)) {
		if (options.body.csrf === undefined) options.body = { ...options.body, csrf };
	}
}

/** A multipart body object: the `form-data` package's (n8n's HTTP Request node from 4.2 on) or the standard FormData. */
interface MultipartBody {
	append(name: string, value: string): void;
	has?(name: string): boolean;
	_streams?: unknown[];
}

function isMultipart(value: unknown): value is MultipartBody {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as MultipartBody).append === 'function' &&
		(typeof (value as MultipartBody).has === 'function' ||
			Array.isArray((value as MultipartBody)._streams))
	);
}

function addToMultipart(body: MultipartBody, csrf: string): void {
	// form-data keeps each part's header as text in _streams; a csrf part already there is left alone.
	const present =
		typeof body.has === 'function'
			? body.has('csrf')
			: (body._streams ?? []).some((part) => typeof part === 'string' && /name="csrf"/.test(part));
	if (!present) body.append('csrf', csrf);
}

/**
 * Where the cookies may go: Bilibili's hosts, or the origin of the Base URL Override. A request with
 * this credential to any other host (n8n's HTTP Request node takes any URL) is refused, so the
 * session is never handed to a third party by a mistyped URL.
 */
function assertBilibiliHost(
	options: IHttpRequestOptions & { uri?: unknown },
	baseUrl: string | undefined,
): void {
	const target = String(options.url ?? options.uri ?? '');
	let url: URL | undefined;
	try {
		url = new URL(target, options.baseURL || undefined);
	} catch {
		url = undefined;
	}
	const host = url?.hostname.toLowerCase() ?? '';
	const bilibili =
		/^https?:$/.test(url?.protocol ?? '') &&
		(host === 'bilibili.com' || host.endsWith('.bilibili.com'));
	let override = false;
	try {
		override = !!baseUrl && !!url && new URL(baseUrl).origin === url.origin;
	} catch {
		override = false;
	}
	if (!bilibili && !override) {
		throw new Error(
			`The Bilibili credential sends its cookies only to *.bilibili.com or its Base URL Override; refused for ${url ? url.origin : 'a request without a full URL'}`,
		);
	}
}

/** Cookies of a logged-in bilibili.com browser session. */
/**
 * The browser identity (buvid3/buvid4, bili_ticket) a request already carries: the client fetches one when the
 * credential has none. Only those two cookies are kept from an incoming Cookie header; any other is
 * replaced by the credential's.
 */
function deviceCookiesIn(header: unknown): string | undefined {
	if (typeof header !== 'string') return undefined;
	const kept = header
		.split(';')
		.map((part) => part.trim())
		.filter(
			(part) =>
				/^buvid[34]=[\w.:{}-]{1,128}$/.test(part) ||
				/^bili_ticket=[\w-]{1,2048}\.[\w-]{1,4096}\.[\w-]{0,2048}$/.test(part),
		);
	return kept.length ? kept.join('; ') : undefined;
}

export class BilibiliApi implements ICredentialType {
	name = 'bilibiliApi';

	displayName = 'Bilibili API';

	icon = { light: 'file:../icons/bilibili.svg', dark: 'file:../icons/bilibili.dark.svg' } as const;

	documentationUrl =
		'https://github.com/n8n-nodes-bilibili/n8n-nodes-bilibili/blob/main/docs/n8n.md#credential-bilibili-api';

	/**
	 * The cookies on every request, and csrf (bili_jct) in the body of every write, for this package's
	 * nodes and for n8n's HTTP Request node with this credential alike. A function, because csrf belongs
	 * only in a write's form body, which a generic (declarative) authentication cannot express.
	 */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		// Own fields only: a polluted Object.prototype must not add a Base URL the cookies would go to.
		const text = (key: string) => {
			const value = Object.hasOwn(credentials, key) ? credentials[key] : undefined;
			return value === undefined || value === null || value === '' ? undefined : String(value);
		};
		const cookies = checkCredentials({
			SESSDATA: text('SESSDATA') ?? '',
			bili_jct: text('bili_jct'),
			DedeUserID: text('DedeUserID'),
			buvid3: text('buvid3'),
		});
		assertBilibiliHost(requestOptions, text('baseUrl'));
		const device = cookies.buvid3 ? undefined : deviceCookiesIn(requestOptions.headers?.Cookie);
		// n8n's HTTP Request node sends n8n's own agent otherwise; risk control answers it with -352.
		const agentGiven = Object.keys(requestOptions.headers ?? {}).some(
			(name) => name.toLowerCase() === 'user-agent',
		);
		const authenticated: IHttpRequestOptions = {
			...requestOptions,
			headers: {
				...(agentGiven ? undefined : { 'User-Agent': BROWSER_USER_AGENT }),
				...requestOptions.headers,
				Cookie: device ? `${cookieHeader(cookies)}; ${device}` : cookieHeader(cookies),
			},
		};
		if ((requestOptions.method ?? 'GET').toUpperCase() !== 'GET' && cookies.bili_jct)
			signWrite(authenticated, cookies.bili_jct);
		return authenticated;
	};

	/**
	 * Keeps the login alive (nodes/shared/sessionRenewal.ts): n8n calls this before a request while the
	 * hidden `sessionCheck` is empty (always), and during a credential test. Once a day per login it
	 * asks Bilibili whether a refresh is due; a refresh's new login is returned for n8n to store, and
	 * the old session is ended on a later request, once n8n resolves the new one. Never throws.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		return await renewLogin(this, credentials);
	}

	/** The profile read: it needs nothing but the login, and -101 means that login is gone. */
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://api.bilibili.com" }}',
			url: '/x/member/web/account',
			method: 'GET',
			headers: { Referer: 'https://www.bilibili.com/', Origin: 'https://www.bilibili.com' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: -101,
					message:
						'SESSDATA expired or wrong (code -101, not logged in): log in again and copy the cookie',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: -412,
					message: 'Blocked by Bilibili risk control (code -412): try again later',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: -352,
					message:
						'Refused by Bilibili risk control (code -352): add the buvid3 cookie or try later',
				},
			},
		],
	};

	properties: INodeProperties[] = [
		{
			displayName:
				'Quickest: run "npx -p @n8n-nodes-bilibili/client bilibili-login" on any computer with Node.js, scan the QR code with the Bilibili app and paste the four values it prints (refresh_token into Refresh Token). Or log in at bilibili.com, open the browser developer tools (F12) → Application → Cookies → https://www.bilibili.com and copy the values. Logging out ends this session.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'SESSDATA',
			name: 'SESSDATA',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The login cookie (HttpOnly: only the developer tools show it). Anyone with it can use your account.',
		},
		{
			displayName: 'Bili_jct',
			name: 'bili_jct',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The CSRF cookie. Needed by every write: charges, QR codes, messages, replies, signature, upload.',
		},
		{
			displayName: 'DedeUserID',
			name: 'DedeUserID',
			type: 'string',
			default: '',
			placeholder: '293793435',
			description:
				"Your numeric user ID (mid). Needed by Get Today's Coin Exp, Get Security Info and as the upload's mid.",
		},
		{
			displayName: 'Buvid3',
			name: 'buvid3',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional device cookie. Left empty, the nodes fetch one (buvid3/buvid4) once per account, as a browser does.',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The refresh_token bilibili-login prints. With it, n8n keeps the login alive by itself: once a day it asks Bilibili whether a refresh is due, and stores the renewed SESSDATA, Bili_jct and Refresh Token here. Give this n8n its own login: a refresh made elsewhere (a browser, Node-RED, another n8n) ends these cookies.',
		},
		{
			displayName:
				'Renewal writes SESSDATA, Bili_jct, DedeUserID and Refresh Token. n8n does not overwrite a field set by an expression or an external secret: leave these four as plain values, or leave Refresh Token empty and renew the login where the secret lives.',
			name: 'renewalNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Refresh Public Key',
			name: 'refreshPublicKey',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN PUBLIC KEY-----',
			description:
				"Advanced: the PEM key the session refresh encrypts with. Leave empty for Bilibili's; only a test double (the bundled simulator) has its own.",
		},
		{
			displayName: 'Session Check',
			name: CHECK_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
		{
			displayName: 'Session Renewal',
			name: RENEWAL_FIELD,
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Send Bili_ticket',
			name: 'biliTicket',
			type: 'boolean',
			default: false,
			description:
				'Whether to fetch a bili_ticket (valid about 3 days, renewed before it expires) and send it as a cookie; lowers the chance of risk-control answers (-352)',
		},
		{
			displayName: 'Maximum B-Coins per Charge',
			name: 'maxBcoinPerCharge',
			type: 'number',
			typeOptions: { minValue: 2, maxValue: 1000000 },
			default: 50,
			description:
				'Spending guard: a B-coin charge above this is refused before anything is sent. Raise it deliberately if you mean to charge more at once.',
		},
		{
			displayName: 'Maximum B-Coins per 24 Hours',
			name: 'maxBcoinPer24h',
			type: 'number',
			typeOptions: { minValue: 2, maxValue: 1000000 },
			default: 200,
			description:
				'Spending guard: B-coin charges for this account in any rolling 24 hours, counted by this n8n process (succeeded or outcome unknown). A charge that would pass it is refused before anything is sent.',
		},
		{
			displayName: 'Minimum B-Coin Balance to Keep',
			name: 'minBcoinBalance',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1000000 },
			default: 0,
			description:
				"Spending guard across workers and restarts: before each B-coin charge (and each QR code that may use the balance) the account's wallet is read, and a charge that would leave fewer B-coins than this is refused before anything is sent; so is one whose wallet cannot be read. 0 turns it off.",
		},
		{
			displayName: 'Minimum Interval Between Requests (ms)',
			name: 'minIntervalMs',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 60000 },
			default: 100,
			description:
				'Advanced: requests to one Bilibili host start at least this far apart, to stay clear of risk control (-412, -352). 0 turns pacing off.',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787',
			description:
				'Advanced: send every request to this origin instead of the bilibili.com hosts, keeping the paths. For a proxy, or the bundled simulator (npm run simulator). Leave empty for Bilibili.',
		},
	];
}
