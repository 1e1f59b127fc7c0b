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
