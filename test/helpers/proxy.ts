/**
 * A small proxy on 127.0.0.1 for the tests: forwards plain HTTP (absolute-URI requests) and opens
 * CONNECT tunnels, as corporate proxies do. It can ask for credentials (407 without the right
 * Proxy-Authorization) or refuse every tunnel or every forwarded request (403, with its own page). It records what it was asked, never a body.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestProxy {
	url: string;
	/** `GET http://…/x` for forwarded requests, `CONNECT host:port` for tunnels. */
	seen: string[];
	/** The Proxy-Authorization headers received. */
	auth: Array<string | undefined>;
	close(): Promise<void>;
}

export async function startProxy(
	options: { credentials?: string; refuseTunnels?: boolean; refuseForwarding?: boolean } = {},
): Promise<TestProxy> {
	const seen: string[] = [];
	const auth: Array<string | undefined> = [];
	const expected = options.credentials
		? `Basic ${Buffer.from(options.credentials).toString('base64')}`
		: undefined;
	const allowed = (header: string | undefined) => {
		auth.push(header);
		return expected === undefined || header === expected;
	};
	const server = http.createServer((req, res) => {
		seen.push(`${req.method} ${req.url}`);
		if (!allowed(req.headers['proxy-authorization'])) {
			res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"', 'Content-Length': 0 });
			res.end();
			return;
		}
		if (options.refuseForwarding) {
			res.writeHead(403, { 'Content-Type': 'text/html' });
			res.end('<html><body><h1>403 Forbidden</h1>Access denied by the proxy policy</body></html>');
			return;
		}
		const headers = { ...req.headers };
		delete headers['proxy-authorization'];
		delete headers['proxy-connection'];
		const onward = http.request(req.url!, { method: req.method, headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		onward.on('error', () => res.destroy());
		req.pipe(onward);
	});
	server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
		seen.push(`CONNECT ${req.url}`);
		client.on('error', () => undefined);
		if (options.refuseTunnels || !allowed(req.headers['proxy-authorization'])) {
			const status = options.refuseTunnels ? '403 Forbidden' : '407 Proxy Authentication Required';
			client.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\n\r\n`);
			return;
		}
		const [host, port] = req.url!.split(':');
		// Everything the tests serve listens on 127.0.0.1 (named localhost for the certificate).
		const upstream = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length) upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		upstream.on('error', () => client.destroy());
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		seen,
		auth,
		close: () => {
			server.closeAllConnections();
			return new Promise((r) => server.close(() => r()));
		},
	};
}

/** A self-signed certificate for localhost, made once per process with openssl. */
let certificate: { key: Buffer; cert: Buffer } | undefined;
function selfSigned(): { key: Buffer; cert: Buffer } {
	if (certificate) return certificate;
	const dir = mkdtempSync(path.join(tmpdir(), 'bilibili-tls-'));
	try {
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-days',
				'1',
				'-subj',
				'/CN=localhost',
				'-addext',
				'subjectAltName=DNS:localhost,IP:127.0.0.1',
				'-keyout',
				path.join(dir, 'key.pem'),
				'-out',
				path.join(dir, 'cert.pem'),
			],
			{ stdio: 'ignore' },
		);
		certificate = {
			key: readFileSync(path.join(dir, 'key.pem')),
			cert: readFileSync(path.join(dir, 'cert.pem')),
		};
		return certificate;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * An HTTPS server on 127.0.0.1 with a self-signed certificate, addressed as https://localhost:port
 * (a tunnelled TLS connection checks the host name); `ca` is what a client trusts it with
 * (createNodeRuntime's `ca`).
 */
export async function startHttpsServer(
	handler: http.RequestListener,
): Promise<{ url: string; ca: Buffer; close(): Promise<void> }> {
	const server = https.createServer(selfSigned(), handler);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	return {
		url: `https://localhost:${(server.address() as AddressInfo).port}`,
		ca: selfSigned().cert,
		close: () => {
			server.closeAllConnections();
			return new Promise((r) => server.close(() => r()));
		},
	};
}
