/**
 * Which way a request goes: straight to the host, or through a proxy (HTTP_PROXY / HTTPS_PROXY /
 * NO_PROXY from the environment, or one the caller names, such as Node-RED's http proxy config node).
 * HTTPS goes through a CONNECT tunnel (https-proxy-agent), plain HTTP through a forwarding proxy
 * (http-proxy-agent); every agent keeps its connections alive. A proxy's address is never put into an
 * error: it may carry a password.
 */
import http from 'node:http';
import https from 'node:https';
import { getProxyForUrl } from 'proxy-from-env';
import { BilibiliValidationError } from '../errors';

export interface ProxySetting {
	/** http://host:port (credentials may be in it, or in username/password). */
	url: string;
	username?: string;
	password?: string;
	/** Hosts reached directly: a request whose URL contains one of these goes without the proxy. */
	noProxy?: string[];
}

export interface Route {
	agent: http.Agent;
	secure: boolean;
	proxied: boolean;
	/** Set on each request: a tunnelling agent keeps its own options for the proxy connection only. */
	ca?: https.AgentOptions['ca'];
}

export class Proxies {
	readonly #options: https.AgentOptions;
	readonly #direct: { http: http.Agent; https: https.Agent };
	readonly #setting: URL | false | undefined;
	readonly #noProxy: string[];
	/** One agent per proxy and scheme, and the route of each origin: the client talks to few hosts. */
	readonly #agents = new Map<string, http.Agent>();
	readonly #routes = new Map<string, Route>();

	constructor(
		setting: ProxySetting | false | undefined,
		ca?: string | Buffer | Array<string | Buffer>,
	) {
		this.#options = ca === undefined ? { keepAlive: true } : { keepAlive: true, ca };
		this.#direct = { http: new http.Agent(this.#options), https: new https.Agent(this.#options) };
		if (setting === undefined || setting === false) {
			this.#setting = setting;
			this.#noProxy = [];
			return;
		}
		const url = parseProxy(String(setting?.url ?? ''));
		if (!url)
			throw new BilibiliValidationError(
				'proxy',
				'an http:// or https:// proxy address',
				'a value that is not one',
			);
		if (setting.username) url.username = encodeURIComponent(setting.username);
		if (setting.password) url.password = encodeURIComponent(setting.password);
		this.#setting = url;
		this.#noProxy = (setting.noProxy ?? []).map((h) => String(h).trim()).filter(Boolean);
	}

	/** The route already worked out for this URL's origin, if any. */
	known(target: string): Route | undefined {
		return this.#routes.get(originOf(target));
	}

	async route(target: string): Promise<Route> {
		const origin = originOf(target);
		const route = await this.#resolve(origin);
		this.#routes.set(origin, route);
		return route;
	}

	async #resolve(origin: string): Promise<Route> {
		const secure = origin.startsWith('https:');
		const proxy = this.#proxyFor(origin);
		if (!proxy)
			return { agent: secure ? this.#direct.https : this.#direct.http, secure, proxied: false };
		// The agents load only when a proxy is used; looked up after the load, so two first requests
		// share one agent.
		const [{ HttpsProxyAgent }, { HttpProxyAgent }] = await Promise.all([
			import('https-proxy-agent'),
			import('http-proxy-agent'),
		]);
		const key = `${secure}|${proxy.href}`;
		let agent = this.#agents.get(key);
		if (!agent) {
			agent = secure
				? new HttpsProxyAgent(proxy, this.#options)
				: new HttpProxyAgent(proxy, this.#options);
			this.#agents.set(key, agent);
		}
		return { agent, secure, proxied: true, ca: this.#options.ca };
	}

	#proxyFor(origin: string): URL | undefined {
		if (this.#setting === false) return undefined;
		if (this.#setting) {
			// As Node-RED's own http request node: an entry anywhere in the URL sends it directly.
			return this.#noProxy.some((entry) => origin.includes(entry)) ? undefined : this.#setting;
		}
		const fromEnv = getProxyForUrl(origin);
		if (!fromEnv) return undefined;
		const url = parseProxy(fromEnv);
		if (!url)
			throw Object.assign(
				new Error(
					'the proxy set in the environment (HTTP_PROXY / HTTPS_PROXY) is not an http:// or https:// address; nothing was sent',
				),
				{ code: 'ERR_PROXY_INVALID' },
			);
		return url;
	}

	close(): void {
		this.#direct.http.destroy();
		this.#direct.https.destroy();
		for (const agent of this.#agents.values()) agent.destroy();
		this.#agents.clear();
		this.#routes.clear();
	}
}

function parseProxy(text: string): URL | undefined {
	try {
		const url = new URL(text.includes('://') ? text : `http://${text}`);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
	} catch {
		return undefined;
	}
}

function originOf(target: string): string {
	const end = target.indexOf('/', target.indexOf('//') + 2);
	return end === -1 ? target : target.slice(0, end);
}
