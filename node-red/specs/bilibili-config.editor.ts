/**
 * The account dialog's one hand-written part: "Log in with QR code" (the button, the code and its
 * state), driven by window.bilibiliEditor.qrLogin in resources/bilibili-editor.js.
 */
import type { EditorCustom } from '../editor';

export const CONFIG_EDITOR: EditorCustom = {
	rowsBefore: [
		'\t<div class="form-row bilibili-config-row-qrLogin"><label></label><button type="button" class="red-ui-button" id="node-config-bilibili-qr-login"><i class="fa fa-qrcode"></i> <span data-i18n="bilibili-config.label.qrLogin"></span></button></div>',
		'\t<div class="form-row" id="node-config-bilibili-qr-area" style="display:none"><label></label><div style="display:inline-block;vertical-align:top"><img id="node-config-bilibili-qr-image" alt="QR code" style="width:200px;height:200px;display:none"><div id="node-config-bilibili-qr-status" style="max-width:320px"></div></div></div>',
	].join('\n'),
	label: "return this.name || (this.DedeUserID ? 'Bilibili ' + this.DedeUserID : 'Bilibili');",
	prepare: 'this._bilibiliLogin = window.bilibiliEditor.qrLogin(this._.bind(this));',
	save: 'if (this._bilibiliLogin) this._bilibiliLogin.stop();',
	cancel: 'if (this._bilibiliLogin) this._bilibiliLogin.stop();',
};
