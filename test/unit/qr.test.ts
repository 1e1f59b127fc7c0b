import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { renderQrCode } from '../../index';

const URL =
	'http://api.bilibili.com/x/ugcpay/trade/elec/pay/qr_code/gateway?mid=293793435&token=c1cb1d95d2194ba58df6bb0f24ae1aaa';

describe('renderQrCode', () => {
	it('renders a PNG that decodes back to the pay URL', async () => {
		const { png, svg, terminal } = await renderQrCode(URL, ['png']);
		expect(svg).toBeUndefined();
		expect(terminal).toBeUndefined();
		const image = PNG.sync.read(png!);
		const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
		expect(decoded?.data).toBe(URL);
	});

	it('renders SVG and terminal text on request', async () => {
		const { png, svg, terminal } = await renderQrCode(URL, ['svg', 'terminal']);
		expect(png).toBeUndefined();
		expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
		expect(terminal!.split('\n').length).toBeGreaterThan(15);
	});
});
