/**
 * n8n repeats work on its own: Retry On Fail runs a node again after it throws, and also when its first
 * output item carries an error (Continue On Fail); an AI Agent may call the same tool again. A write
 * that was already sent must not be sent again by any of these. Two memos, kept in this process for a
 * day (an execution runs in one process, in queue mode too):
 *
 * - per node run and item: what a write already did in this run (its output, or its unknown outcome)
 *   is given back instead of sending it again. n8n's retries keep the run index; a loop starts a new
 *   run, which is new work. As an AI Agent tool, per execution: every call is a new run, so a call
 *   with the same arguments as an earlier one (the agent trying again) gets the first outcome back.
 * - per execution, node, account and charge: a charge whose outcome is unknown is not sent again in the
 *   same execution by anything, an AI Agent's second call included, and an identical charge still in
 *   flight is not sent beside it.
 *
 * A retried execution (the Retry button on a failed execution) is a new execution: see the README.
 */
import { createHash } from 'node:crypto';
import type { IExecuteFunctions } from 'n8n-workflow';
import {
	BilibiliApiError,
	BilibiliOutcomeUnknownError,
	BilibiliSessionRefreshError,
} from '../../client';

const KEEP_MS = 24 * 60 * 60_000;
const MAX_ENTRIES = 50_000;

interface Memo<T> {
	at: number;
	value: T;
}

class ExpiringMap<T> {
	private readonly entries = new Map<string, Memo<T>>();

	get(key: string): T | undefined {
		const hit = this.entries.get(key);
		if (!hit) return undefined;
		if (Date.now() - hit.at < KEEP_MS) return hit.value;
		this.entries.delete(key);
		return undefined;
	}

	set(key: string, value: T): void {
		this.entries.delete(key);
		this.entries.set(key, { at: Date.now(), value });
		// Oldest first: Map keeps insertion order.
		for (const [oldest] of this.entries) {
			if (this.entries.size <= MAX_ENTRIES) break;
			this.entries.delete(oldest);
		}
	}
}

export type Outcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

const runs = new ExpiringMap<Outcome<unknown>>();
const unknownCharges = new ExpiringMap<BilibiliOutcomeUnknownError>();
const chargesInFlight = new Set<string>();

function hash(value: unknown): string {
	return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

/** The execution; a host without execution ids shares one memo, which errs toward not sending. */
function executionOf(ctx: IExecuteFunctions): string {
	return String(ctx.getExecutionId?.() ?? 'no-execution-id');
}

/**
 * Whether the node runs as an AI Agent's tool: n8n runs each call (and, with older agents, each try of
 * one) as a new run of the node, its input carrying the call's id.
 */
function asTool(ctx: IExecuteFunctions): boolean {
	const node = ctx.getNode() as { rewireOutputLogTo?: string };
	const supplying = ctx as { isToolExecution?: () => boolean };
	return node.rewireOutputLogTo === 'ai_tool' || supplying.isToolExecution?.() === true;
}

/**
 * This node run's item, as n8n's retries see it again: same run index, same parameters, same input.
 * As a tool, the whole execution: the run index and the call's id are left out, so the agent's next
 * call with the same arguments gets the first outcome back, not a second reply, message or charge.
 */
export function runKey(ctx: IExecuteFunctions, itemIndex: number): string {
	const node = ctx.getNode();
	const input = ctx.getInputData()[itemIndex]?.json;
	const tool = asTool(ctx);
	const args = Object.fromEntries(Object.entries(input ?? {}).filter(([k]) => k !== 'toolCallId'));
	return [
		executionOf(ctx),
		node.id,
		tool ? 'tool' : ctx.getWorkflowDataProxy(itemIndex).$runIndex,
		itemIndex,
		hash({ parameters: node.parameters, input: tool ? args : input }),
	].join('|');
}

/**
 * Sent already, or maybe: a result, an unknown outcome, or any failure after the request may have
 * left (a lost answer, a timeout, a gateway page). Only what provably did nothing is tried again:
 * bad input, a request that never left, and an answer in which Bilibili refused it.
 */
function wasSent(outcome: Outcome<unknown>): boolean {
	if (outcome.ok || outcome.error instanceof BilibiliOutcomeUnknownError) return true;
	const err = outcome.error;
	// A session refresh that may have spent its token is as sent: a retry would only be refused.
	if (err instanceof BilibiliSessionRefreshError) return err.tokenMaySpent;
	if (!(err instanceof BilibiliApiError) || err.notSent) return false;
	const refused =
		typeof err.code === 'number' && (err.httpStatus === undefined || err.httpStatus === 200);
	return !refused && err.code !== 'BACKING_OFF';
}

/** The request of one item's write, sent once per node run (see the top of this file). */
export function sendOnce<R>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	send: () => Promise<R>,
): Promise<R> {
	return onceInRun(runKey(ctx, itemIndex), send, (result) => structuredClone(result));
}

/** Runs a write once per node run and item; a repeat gets the first outcome back, nothing is sent. */
export async function onceInRun<R>(
	key: string,
	write: () => Promise<R>,
	copy: (result: R) => R,
): Promise<R> {
	const earlier = runs.get(key) as Outcome<R> | undefined;
	if (earlier) {
		if (earlier.ok) return copy(earlier.result);
		throw earlier.error;
	}
	let outcome: Outcome<R>;
	try {
		outcome = { ok: true, result: await write() };
	} catch (error) {
		outcome = { ok: false, error };
	}
	if (wasSent(outcome))
		runs.set(key, outcome.ok ? { ok: true, result: copy(outcome.result) } : outcome);
	if (!outcome.ok) throw outcome.error;
	return outcome.result;
}

/** What makes two charges the same charge: who pays, whom, how much, from where. */
export interface ChargeIdentity {
	up_mid: string;
	bp_num: number;
	otype: string;
	oid: string;
}

/**
 * Sends a charge unless an identical one (same account, creator, amount and source) had an unknown
 * outcome in this execution and node, or is in flight right now.
 */
export async function chargeOnce<R>(
	ctx: IExecuteFunctions,
	account: string,
	charge: ChargeIdentity,
	send: () => Promise<R>,
): Promise<R> {
	const { up_mid, bp_num, otype, oid } = charge;
	const key = [
		executionOf(ctx),
		ctx.getNode().id,
		account,
		hash({ up_mid, bp_num, otype, oid }),
	].join('|');
	const unknown = unknownCharges.get(key);
	if (unknown)
		throw notSentAgain(
			unknown.endpoint,
			'an identical charge earlier in this execution has an unknown outcome',
		);
	if (chargesInFlight.has(key))
		throw notSentAgain('charge', 'an identical charge is in progress in this execution');
	chargesInFlight.add(key);
	return send()
		.catch((err: unknown) => {
			if (err instanceof BilibiliOutcomeUnknownError) unknownCharges.set(key, err);
			return Promise.reject(err);
		})
		.finally(() => chargesInFlight.delete(key));
}

function notSentAgain(endpoint: string, why: string): BilibiliApiError {
	return new BilibiliApiError({
		code: 'OUTCOME_UNKNOWN',
		endpoint,
		retryable: false,
		notSent: true,
		explanation: `Not sent: ${why}. Check the charge history (order list) first; to charge again on purpose, start a new execution`,
		bilibiliMessage: '未发送:本次执行中相同的充电结果未知,请先查看充电记录',
	});
}
