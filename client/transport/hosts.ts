/** The Bilibili origins the endpoints live on; `baseUrl` in the client options replaces them all. */
export const HOSTS = {
	api: 'https://api.bilibili.com',
	member: 'https://member.bilibili.com',
	www: 'https://www.bilibili.com',
	passport: 'https://passport.bilibili.com',
	customerservice: 'https://customerservice.bilibili.com',
} as const;

export type HostKey = keyof typeof HOSTS;

export interface Endpoint {
	/** `area.function`, as users meet it in errors and logs. */
	name: string;
	method: 'GET' | 'POST';
	host: HostKey;
	path: string;
	/** The endpoint authenticates with the DedeUserID cookie as well as SESSDATA. */
	needsDedeUserID?: boolean;
	/** Spends money: never retried, and a lost answer is reported as an unknown outcome. */
	movesMoney?: boolean;
}

/**
 * A desktop browser's User-Agent, on every request the client makes unless the user sets another: risk
 * control answers -352 to agents that do not look like a browser.
 */
export const BROWSER_USER_AGENT =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
