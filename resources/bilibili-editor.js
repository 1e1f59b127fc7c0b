/* Shared by the Bilibili nodes' editor dialogs (served by Node-RED at resources/@n8n-nodes-bilibili/node-red-bilibili/). */
window.bilibiliEditor = {
	/**
	 * Brings a node saved by an older release up to its config version when its dialog opens (the same
	 * migrations the runtime applies, from node-red/specs), then shows the upgraded values in the form.
	 */
	upgrade: function (node, version, migrations, fields, prefix) {
		let from = Number(node.version) || 1;
		if (from >= version) return;
		for (; from < version; from++) if (migrations[from]) migrations[from](node);
		node.version = version;
		// A field the saved node lacks stays blank (msg fills it at run time), as in the runtime.
		fields.forEach(function (key) {
			if (node[key] === undefined) return;
			const input = $('#' + prefix + key);
			// "true" as text is ticked, as the runtime reads it.
			if (input.is(':checkbox')) input.prop('checked', node[key] === true || node[key] === 'true');
			else input.val(node[key]);
		});
	},
	/**
	 * Shows each form row only for the operations that use it. Rows are marked
	 * `<type>-row-<field>`; `shown` maps a field to its operations (fields not listed always show).
	 */
	showFieldsPerOperation: function (type, shown) {
		const pattern = new RegExp(type + '-row-(\\w+)');
		function update() {
			const op = $('#node-input-operation').val();
			$('.form-row[class*="' + type + '-row-"]').each(function () {
				const m = this.className.match(pattern);
				const field = m && m[1];
				if (field === 'operation' || !shown[field]) return;
				// "set by msg.operation": any operation may come, so every field is offered.
				$(this).toggle(op === 'msg' || shown[field].indexOf(op) >= 0);
			});
		}
		$('#node-input-operation').on('change', update);
		update();
	},
	/**
	 * The account dialog's "Log in with QR code": the runtime runs the login (admin endpoints of
	 * bilibili-config), the dialog shows the code and its state, and fills the cookie fields once the app
	 * confirms. Returns { stop } for oneditsave/oneditcancel.
	 */
	qrLogin: function (t) {
		let session = null;
		let timer = null;
		const status = function (key, values) {
			$('#node-config-bilibili-qr-status').text(t('bilibili-config.qr.' + key, values));
		};
		function stop() {
			if (timer) clearTimeout(timer);
			timer = null;
			if (session) $.ajax({ url: 'bilibili-config/login/' + session, method: 'DELETE' });
			session = null;
		}
		function poll() {
			$.getJSON('bilibili-config/login/' + session)
				.done(function (answer) {
					if (answer.state === 'confirmed') {
						session = null;
						$('#node-config-input-SESSDATA').val(answer.cookies.SESSDATA);
						$('#node-config-input-bili_jct').val(answer.cookies.bili_jct);
						$('#node-config-input-DedeUserID').val(answer.cookies.DedeUserID);
						$('#node-config-input-refresh_token').val(answer.cookies.refresh_token || '');
						$('#node-config-bilibili-qr-image').hide();
						status('confirmed', { mid: answer.cookies.DedeUserID });
						return;
					}
					if (answer.state === 'expired' || answer.state === 'failed') {
						session = null;
						$('#node-config-bilibili-qr-image').hide();
						status(answer.state, { message: answer.message || '' });
						return;
					}
					if (answer.state === 'scanned') status('scanned');
					timer = setTimeout(poll, 1000);
				})
				.fail(function (xhr) {
					session = null;
					status('failed', {
						message: (xhr.responseJSON && xhr.responseJSON.error) || xhr.statusText,
					});
				});
		}
		$('#node-config-bilibili-qr-login').on('click', function () {
			stop();
			$('#node-config-bilibili-qr-area').show();
			status('starting');
			$.ajax({
				url: 'bilibili-config/login',
				method: 'POST',
				contentType: 'application/json',
				data: JSON.stringify({ baseUrl: $('#node-config-input-baseUrl').val() }),
			})
				.done(function (answer) {
					session = answer.id;
					$('#node-config-bilibili-qr-image').attr('src', answer.png).show();
					status('scan');
					timer = setTimeout(poll, 1000);
				})
				.fail(function (xhr) {
					status('failed', {
						message: (xhr.responseJSON && xhr.responseJSON.error) || xhr.statusText,
					});
				});
		});
		return { stop: stop };
	},
};
