import type { BilibiliClient } from '../index';

/** The slice of Node-RED's runtime API these nodes use (Node-RED ships no TypeScript types). */

export interface NodeMessage {
	_msgid?: string;
	payload?: unknown;
	topic?: string;
	[key: string]: unknown;
}

export interface NodeStatus {
	fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
	shape?: 'ring' | 'dot';
	text?: string;
}

export interface ContextStore {
	get(key: string): unknown;
	set(key: string, value: unknown): void;
}

export interface Node {
	id: string;
	credentials: Record<string, string | undefined>;
	on(
		event: 'input',
		handler: (
			msg: NodeMessage,
			send: (msg: NodeMessage | Array<NodeMessage | null>) => void,
			done: (err?: Error) => void,
		) => void,
	): void;
	on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
	on(event: 'close', handler: () => void): void;
	send(msg: NodeMessage | Array<NodeMessage | null>): void;
	status(status: NodeStatus | Record<string, never>): void;
	error(err: unknown, msg?: NodeMessage): void;
	warn(message: unknown): void;
	log(message: unknown): void;
	debug(message: unknown): void;
	context(): ContextStore;
}

export interface NodeDef {
	id: string;
	type: string;
	name?: string;
	[key: string]: unknown;
}

export interface NodeAPI {
	nodes: {
		createNode(node: object, def: NodeDef): void;
		getNode(id: string): unknown;
		registerType(
			type: string,
			constructor: (this: Node, def: NodeDef) => void,
			options?: { credentials?: Record<string, { type: 'text' | 'password' }> },
		): void;
		/** Replaces a node's credentials in the runtime; they are written to disk at the next Deploy. */
		addCredentials(id: string, credentials: Record<string, string | undefined>): unknown;
		getCredentials(id: string): Record<string, string | undefined> | undefined;
	};
	util: { cloneMessage<T>(msg: T): T };
	/** Node-RED's admin HTTP app (express), behind its admin authentication. */
	httpAdmin: {
		post(path: string, ...handlers: AdminHandler[]): void;
		get(path: string, ...handlers: AdminHandler[]): void;
		delete(path: string, ...handlers: AdminHandler[]): void;
	};
	auth: { needsPermission(permission: string): AdminHandler };
	_(key: string, substitutions?: Record<string, unknown>): string;
	/** The runtime's settings (settings.js); only what these nodes read. */
	settings: {
		nodeCloseTimeout?: number;
		userDir?: string;
		/** Throws while the runtime's own settings are not loaded. */
		get(key: string): unknown;
	};
}

export interface AdminRequest {
	body?: Record<string, unknown> & { baseUrl?: unknown };
	params: Record<string, string>;
}

export interface AdminResponse {
	status(code: number): AdminResponse;
	json(body: unknown): void;
	end(): void;
}

export type AdminHandler = (req: AdminRequest, res: AdminResponse, next: () => void) => void;

export interface BilibiliConfigNode extends Node {
	/** The account's one shared client; every acquire is matched by one release when the node closes. */
	acquireClient(): BilibiliClient;
	releaseClient(): void;
	/**
	 * A client of its own for a polling node: no quick retries (the node's failure gate spaces its
	 * retries), pacing shared with the account's other clients. The caller closes it.
	 */
	createTriggerClient(): BilibiliClient;
	/** A node of this account started; it counts as running until it closes. */
	attach(user: Node): void;
}
