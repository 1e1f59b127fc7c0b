/**
 * "Log in with QR code" in the account dialog: admin endpoints (Node-RED's admin permissions guard
 * them) that run the client's QR login in the runtime, so the editor only shows the code and its state.
 * The cookies are handed to the dialog once, when it asks after the app confirmed, and go into the
 * node's credential fields; they are never logged and never part of the flow.
 */
import { randomBytes } from 'node:crypto';
import { BilibiliValidationError, loginWithQrCode, type LoginCookies } from '../index';
import type { NodeAPI } from './types';

type State = 'starting' | 'waiting' | 'scanned' | 'confirmed' | 'expired' | 'failed';

interface Session {
	state: State;
	message?: string;
	cookies?: LoginCookies;
	controller: AbortController;
}

/** A few at once is plenty for one editor; more is someone hammering the endpoint. */
const MAX_SESSIONS = 4;
/** A finished session waits this long for the dialog to collect its outcome. */
const KEEP_FINISHED_MS = 60_000;

export function registerQrLogin(RED: NodeAPI): void {
	const sessions = new Map<string, Session>();
	const finish = (id: string) => setTimeout(() => sessions.delete(id), KEEP_FINISHED_MS).unref();

	RED.httpAdmin.post(
		'/bilibili-config/login',
		RED.auth.needsPermission('bilibili-config.write'),
		(req, res) => {
			if (sessions.size >= MAX_SESSIONS)
				return void res
					.status(429)
					.json({ error: 'Too many QR logins in progress; close the other dialogs and try again' });
			const baseUrl = typeof req.body?.baseUrl === 'string' ? req.body.baseUrl.trim() : '';
			const id = randomBytes(12).toString('hex');
			const session: Session = { state: 'starting', controller: new AbortController() };
			sessions.set(id, session);
			let answered = false;
			loginWithQrCode({
				baseUrl: baseUrl || undefined,
				render: ['png'],
				signal: session.controller.signal,
				onEvent(event) {
					if (event.type === 'created' && !answered) {
						answered = true;
						session.state = 'waiting';
						res.json({
							id,
							url: event.url,
							expires_at: event.expires_at,
							png: `data:image/png;base64,${event.png!.toString('base64')}`,
						});
					} else if (event.type === 'scanned') session.state = 'scanned';
				},
			}).then(
				(cookies) => {
					Object.assign(session, { state: 'confirmed', cookies });
					finish(id);
				},
				(err: Error & { code?: unknown }) => {
					Object.assign(session, {
						state: err.code === 'LOGIN_EXPIRED' ? 'expired' : 'failed',
						message: err.message,
					});
					finish(id);
					if (!answered) {
						answered = true;
						sessions.delete(id);
						res
							.status(err instanceof BilibiliValidationError ? 400 : 502)
							.json({ error: err.message });
					}
				},
			);
		},
	);

	RED.httpAdmin.get(
		'/bilibili-config/login/:id',
		RED.auth.needsPermission('bilibili-config.write'),
		(req, res) => {
			const session = sessions.get(String(req.params.id));
			if (!session)
				return void res
					.status(404)
					.json({ error: 'No such QR login (it ended, or Node-RED restarted)' });
			if (session.state !== 'confirmed')
				return void res.json({ state: session.state, message: session.message });
			// Handed over once, then forgotten.
			sessions.delete(String(req.params.id));
			res.json({ state: 'confirmed', cookies: session.cookies });
		},
	);

	RED.httpAdmin.delete(
		'/bilibili-config/login/:id',
		RED.auth.needsPermission('bilibili-config.write'),
		(req, res) => {
			const session = sessions.get(String(req.params.id));
			session?.controller.abort();
			sessions.delete(String(req.params.id));
			res.status(204).end();
		},
	);
}
