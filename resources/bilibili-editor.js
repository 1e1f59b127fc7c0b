/* Shared by the Bilibili nodes' editor dialogs (served by Node-RED at resources/n8n-nodes-bilibili/). */
window.bilibiliEditor = {
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
};
