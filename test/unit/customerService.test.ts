import { Readable } from 'node:stream';
import nock from 'nock';
import { BilibiliValidationError, UPLOAD_MAX_BYTES } from '../../index';
import * as ex from '../fixtures/examples';
import { COOKIES, CS, unitClient, useNock } from '../helpers/nockClient';

useNock();

const UPLOAD = '/x/custom/msg_svr/v1/upload';

function multipartField(body: string, name: string): string | undefined {
	return new RegExp(
		`name="${name}"(?:; filename="[^"]*")?\\r\\n(?:Content-Type: [^\\r]*\\r\\n)?\\r\\n([\\s\\S]*?)\\r\\n--`,
	).exec(body)?.[1];
}

describe('customerService.heartbeat', () => {
	it('answers msg and message', async () => {
		nock(CS)
			.get('/x/custom/session_svr/v1/heart_beat')
			.query({ build: '0', mobi_app: 'web' })
			.reply(200, ex.heartbeat);
		expect(await unitClient().customerService.heartbeat()).toEqual({ msg: 'ok', message: 'ok' });
	});
});

describe('customerService.uploadFile', () => {
	it('sends file, filename, mid (from DedeUserID) and csrf as multipart with an exact length', async () => {
		let body = '';
		let headers: Record<string, string> = {};
		nock(CS)
			.post(UPLOAD, (b) => ((body = String(b)), true))
			.reply(function () {
				headers = this.req.headers as Record<string, string>;
				return [200, ex.uploadOk];
			});
		const before = Date.now();
		const result = await unitClient().customerService.uploadFile({
			file: Buffer.from('hello bilibili'),
			filename: 'ihavenoname',
		});
		expect(result.key).toBe('1a0c88d240852155a111e4cc6893be39.xcf');
		expect(Date.parse(result.expires_at) - before).toBeGreaterThanOrEqual(15 * 60_000);
		expect(headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(Number(headers['content-length'])).toBe(Buffer.byteLength(body));
		expect(multipartField(body, 'file')).toBe('hello bilibili');
		expect(multipartField(body, 'filename')).toBe('ihavenoname');
		expect(multipartField(body, 'mid')).toBe('293793435');
		expect(multipartField(body, 'csrf')).toBe(COOKIES.bili_jct);
	});

	it('streams a Readable of announced size', async () => {
		let body = '';
		nock(CS)
			.post(UPLOAD, (b) => ((body = String(b)), true))
			.reply(200, ex.uploadOk);
		const stream = Readable.from([Buffer.from('part one, '), Buffer.from('part two')]);
		await unitClient().customerService.uploadFile({
			file: stream,
			size: 18,
			filename: 'log.txt',
			mid: 42,
		});
		expect(multipartField(body, 'file')).toBe('part one, part two');
		expect(multipartField(body, 'mid')).toBe('42');
	});

	it.each([
		[{ file: Readable.from([]), filename: 'a' }, 'size (bytes of the file stream)', 'got nothing'],
		[
			{ file: Readable.from([]), size: UPLOAD_MAX_BYTES + 1, filename: 'a' },
			'file',
			`got ${UPLOAD_MAX_BYTES + 1} bytes`,
		],
		[{ file: 'not a file', filename: 'a' }, 'file', 'got "not a file"'],
		[{ file: Buffer.from('x'), filename: '' }, 'filename', 'got ""'],
		[{ file: Buffer.from('x'), filename: 'a', mid: -3 }, 'mid', 'got -3'],
	])('refuses bad input %# before sending', async (params, field, given) => {
		const err = await unitClient()
			.customerService.uploadFile(params as never)
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliValidationError);
		expect(err.field).toBe(field);
		expect(err.message).toContain(given);
	});

	it('needs a mid when there is no DedeUserID cookie', async () => {
		const { DedeUserID: _omit, ...noDede } = COOKIES;
		await expect(
			unitClient({ credentials: noDede }).customerService.uploadFile({
				file: Buffer.from('x'),
				filename: 'a',
			}),
		).rejects.toMatchObject({ field: 'mid' });
	});

	it.each([
		[1000011, '仅支持上传300M内的文件', /300 MB/],
		[1200201, '获取用户信息失败', /DedeUserID/],
	])('explains %d', async (code, zh, en) => {
		nock(CS).post(UPLOAD).reply(200, ex.failure(code, zh));
		const err = await unitClient()
			.customerService.uploadFile({ file: Buffer.from('x'), filename: 'a' })
			.catch((e) => e);
		expect(err.code).toBe(code);
		expect(err.message).toMatch(en);
		expect(err.message).toContain(zh);
	});
});
