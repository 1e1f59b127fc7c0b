import nock from 'nock';
import { BilibiliValidationError } from '../../index';
import * as ex from '../fixtures/examples';
import { COOKIES, form, MEMBER, unitClient, useNock } from '../helpers/nockClient';

useNock();

const LIST = '/x/web/elec/remark/list';

const remark = (id: number, ctime = id * 1000) => ({ ...ex.remarkList.data.list[0], id, ctime });

describe('remarks.list', () => {
	it('reads the example answer (paging under `pager`)', async () => {
		nock(MEMBER)
			.get(LIST)
			.query({ begin: '2016-01-01', end: '2050-01-01', pn: '1', ps: '10' })
			.reply(200, ex.remarkList);
		const page = await unitClient().remarks.list({
			begin: '2016-01-01',
			end: '2050-01-01',
			pn: 1,
			ps: 10,
		});
		expect(page.list[0]).toMatchObject({ id: 6715018, msg: '加油', ctime: 1650665119000 });
		expect(page.page).toEqual({ current: 1, size: 10, total: 448 });
	});

	it('also reads paging under `page`, as the table says', async () => {
		const { pager, ...rest } = ex.remarkList.data;
		nock(MEMBER)
			.get(LIST)
			.query(true)
			.reply(200, { ...ex.remarkList, data: { ...rest, page: pager } });
		expect((await unitClient().remarks.list()).page.total).toBe(448);
	});

	it('defaults to page 1 of 12 and sends no dates', async () => {
		nock(MEMBER).get(LIST).query({ pn: '1', ps: '12' }).reply(200, ex.remarkList);
		await unitClient().remarks.list();
	});

	it('treats a null list as empty', async () => {
		nock(MEMBER)
			.get(LIST)
			.query(true)
			.reply(200, {
				code: 0,
				message: '0',
				ttl: 1,
				data: { list: null, pager: { current: 1, size: 12, total: 0 } },
			});
		expect((await unitClient().remarks.list()).list).toEqual([]);
	});

	it.each([
		[{ ps: 0 }, 'ps', 'from 1 to 12', 'got 0'],
		[{ ps: 13 }, 'ps', 'from 1 to 12', 'got 13'],
		[{ pn: 0 }, 'pn', '>= 1', 'got 0'],
		[{ begin: '2023-02-30' }, 'begin', 'real date', '"2023-02-30"'],
		[{ end: '2023/01/01' }, 'end', 'YYYY-MM-DD', '"2023/01/01"'],
		[
			{ begin: '2024-01-02', end: '2024-01-01' },
			'begin',
			'on or before end (2024-01-01)',
			'"2024-01-02"',
		],
	])('refuses %j before sending anything', async (params, field, expected, given) => {
		const err = await unitClient()
			.remarks.list(params)
			.catch((e) => e);
		expect(err).toBeInstanceOf(BilibiliValidationError);
		expect(err.field).toBe(field);
		expect(err.message).toContain(expected);
		expect(err.message).toContain(given);
	});

	it('explains -101', async () => {
		nock(MEMBER).get(LIST).query(true).reply(200, ex.failure(-101, '账号未登录'));
		await expect(unitClient().remarks.list()).rejects.toThrow(
			/Bilibili -101 on remarks.list: Not logged in.*\(账号未登录\)/,
		);
	});
});

describe('remarks.iterate', () => {
	it('walks every page newest first and counts a shifted remark once', async () => {
		const page1 = [remark(30), remark(29), ...Array.from({ length: 10 }, (_, i) => remark(28 - i))];
		// A new remark arrived between the requests: remark 19 moved from page 1 to page 2.
		const page2 = [remark(19), remark(18), remark(17)];
		nock(MEMBER)
			.get(LIST)
			.query({ pn: '1', ps: '12' })
			.reply(200, { code: 0, data: { list: page1, pager: { current: 1, size: 12, total: 14 } } });
		nock(MEMBER)
			.get(LIST)
			.query({ pn: '2', ps: '12' })
			.reply(200, { code: 0, data: { list: page2, pager: { current: 2, size: 12, total: 15 } } });
		const ids: number[] = [];
		for await (const r of unitClient().remarks.iterate()) ids.push(r.id);
		expect(ids).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17]);
	});
});

describe('remarks.detail', () => {
	it('returns sender name, avatar and mid', async () => {
		nock(MEMBER)
			.get('/x/web/elec/remark/detail')
			.query({ id: '6507563' })
			.reply(200, ex.remarkDetail);
		const detail = await unitClient().remarks.detail('6507563');
		expect(detail).toMatchObject({ mid: 19978396, uname: 'HANSOOOOOL', reply_msg: '( ̄3 ̄)' });
		expect(detail.avator).toMatch(/^http/);
	});

	it('refuses a non-numeric id', async () => {
		await expect(unitClient().remarks.detail('12a')).rejects.toThrow(
			'Invalid id: expected a positive integer (numeric strings accepted), got "12a"',
		);
	});
});

describe('remarks.reply', () => {
	it('posts id, msg and csrf', async () => {
		let body: Record<string, string> = {};
		nock(MEMBER)
			.post('/x/web/elec/remark/reply', (b) => ((body = form(b)), true))
			.reply(200, ex.remarkReplyOk);
		await unitClient().remarks.reply({ id: 6258929, msg: '( ̄3 ̄)' });
		expect(body).toEqual({ id: '6258929', msg: '( ̄3 ̄)', csrf: COOKIES.bili_jct });
	});

	it('explains 20004', async () => {
		nock(MEMBER).post('/x/web/elec/remark/reply').reply(200, ex.failure(20004, '充电服务异常'));
		await expect(unitClient().remarks.reply({ id: 1, msg: 'x' })).rejects.toMatchObject({
			code: 20004,
			explanation: expect.stringContaining('Charge service error'),
		});
	});

	it('refuses an empty reply', async () => {
		await expect(unitClient().remarks.reply({ id: 1, msg: '' })).rejects.toMatchObject({
			field: 'msg',
		});
	});
});
