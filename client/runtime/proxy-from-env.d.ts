/** proxy-from-env ships no types: its one function, as its README documents it. */
declare module 'proxy-from-env' {
	/** The proxy URL for this URL from *_PROXY / NO_PROXY (either case), or '' for none. */
	export function getProxyForUrl(url: string | URL): string;
}
