declare module 'node-red-node-test-helper' {
	interface Helper {
		init(nodeRedRuntime: string, userSettings?: Record<string, unknown>): void;
		load(
			nodes: unknown[],
			flow: unknown[],
			credentials: Record<string, unknown>,
			cb: () => void,
		): void;
		load(nodes: unknown[], flow: unknown[], credentials: Record<string, unknown>): Promise<void>;
		unload(): Promise<void>;
		getNode(id: string): import('./redHelper').RedNode & Record<string, unknown>;
		startServer(done: () => void): void;
		stopServer(done: () => void): void;
		clearFlows(): Promise<void>;
		/** A Deploy of a new flow ('full' by default): nodes left out are closed as removed. */
		setFlows(flow: unknown[], type?: string, credentials?: Record<string, unknown>): Promise<void>;
		settings(userSettings: Record<string, unknown>): void;
		log(): { args: unknown[][] } & Record<string, unknown>;
		/** The runtime's credential store (what Deploy writes to flows_cred.json). */
		credentials: { get(id: string): Record<string, string | undefined> | undefined };
	}
	const helper: Helper;
	export default helper;
}

/** Node-RED's logger, as far as the tests listen to it. */
declare module '@node-red/util' {
	export const log: {
		ERROR: number;
		WARN: number;
		addHandler(handler: import('node:events').EventEmitter): void;
		removeHandler(handler: import('node:events').EventEmitter): void;
	};
}
