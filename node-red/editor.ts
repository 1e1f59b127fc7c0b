/**
 * Renders a node's editor file (the .html Node-RED loads) from its declaration in specs/: defaults with
 * their checks, one form row per field, which rows each operation shows, and the upgrade of an older
 * saved node when its dialog opens. The build writes the result to dist/node-red/<type>.html.
 */
import type { Field, NodeSpec } from './fields';
import { operationsOf, shownFor } from './fields';

const EDITOR_SCRIPT = 'resources/@n8n-nodes-bilibili/node-red-bilibili/bilibili-editor.js';

/** What only the account node's dialog has: the QR login rows and the hooks that drive them. */
export interface EditorCustom {
	rowsBefore?: string;
	label?: string;
	prepare?: string;
	save?: string;
	cancel?: string;
}

const attr = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

function validator(field: Field): string | undefined {
	if (field.type !== 'number') return undefined;
	// Decimal digits only, as the client reads whole numbers ("0x10" and "1e3" are refused there too).
	const checks = [field.integer ? '/^\\s*-?\\d+\\s*$/.test(String(v))' : 'isFinite(n)'];
	if (field.min !== undefined) checks.push(`n >= ${field.min}`);
	if (field.max !== undefined) checks.push(`n <= ${field.max}`);
	// Blank is allowed: msg (or the client's default) fills it.
	return `function (v) { if (v === undefined || v === null || String(v).trim() === '') return true; var n = Number(v); return ${checks.join(' && ')}; }`;
}

function defaults(spec: NodeSpec): string {
	const lines = [`name: {"value": ""}`];
	if (spec.category !== 'config')
		lines.push(`account: {"value": "", "type": "bilibili-config", "required": true}`);
	if (spec.area) lines.push(`operation: {"value": ${JSON.stringify(spec.defaultOperation)}}`);
	lines.push(`version: {"value": ${spec.version}}`);
	for (const [key, field] of Object.entries(spec.fields)) {
		if (field.editor === false) continue;
		const check = validator(field);
		const node =
			field.type === 'text' && field.node
				? `, "type": ${JSON.stringify(field.node)}, "required": false`
				: '';
		lines.push(
			`${key}: {"value": ${JSON.stringify(field.default)}${node}${check ? `, "validate": ${check}` : ''}}`,
		);
	}
	return lines.map((l) => `\t\t\t${l},`).join('\n');
}

function row(type: string, prefix: string, key: string, input: string, icon?: string): string {
	const mark = icon ? '' : ` ${type}-row-${key}`;
	const label = `${icon ? `<i class="fa fa-${icon}"></i> ` : ''}<span data-i18n="${type}.label.${key}"></span>`;
	return `\t<div class="form-row${mark}"><label for="${prefix}${key}">${label}</label>${input}</div>`;
}

function inputFor(type: string, id: string, field: Field): string {
	switch (field.type) {
		case 'boolean':
			return `<input type="checkbox" id="${id}" style="width:auto">`;
		case 'number':
			return `<input type="text" id="${id}" style="width:100px">`;
		case 'select':
			return `<select id="${id}">${field.options
				.map((o) => `<option value="${attr(o)}" data-i18n="${type}.option.${o}"></option>`)
				.join('')}</select>`;
		default:
			return `<input type="text" id="${id}">`;
	}
}

function rows(spec: NodeSpec, prefix: string, custom: EditorCustom): string {
	const { type } = spec;
	const out: string[] = [];
	if (custom.rowsBefore) out.push(custom.rowsBefore.trimEnd());
	if (spec.category !== 'config')
		out.push(row(type, prefix, 'account', `<input type="text" id="${prefix}account">`, 'user'));
	if (spec.area) {
		const options = [...operationsOf(spec), 'msg']
			.map((op) => `<option value="${op}" data-i18n="${type}.operation.${op}"></option>`)
			.join('');
		out.push(
			`\t<div class="form-row ${type}-row-operation"><label for="${prefix}operation"><span data-i18n="${type}.label.operation"></span></label><select id="${prefix}operation">${options}</select></div>`,
		);
	}
	const nameInput = `<input type="text" id="${prefix}name">`;
	// The account's name comes first, as its label; an action node's name last, as in Node-RED's core nodes.
	if (spec.category === 'config') out.push(row(type, prefix, 'name', nameInput));
	for (const [key, field] of Object.entries(spec.fields)) {
		if (field.editor === false) continue;
		out.push(row(type, prefix, key, inputFor(type, `${prefix}${key}`, field)));
	}
	for (const key of spec.credentials ?? [])
		out.push(row(type, prefix, key, `<input type="password" id="${prefix}${key}">`, 'key'));
	if (spec.category !== 'config') out.push(row(type, prefix, 'name', nameInput, 'tag'));
	return out.join('\n');
}

/** The rows shown per operation, for the fields that are not shown for every operation. */
function visibility(spec: NodeSpec): Record<string, readonly string[]> {
	const shown: Record<string, readonly string[]> = {};
	for (const [key, field] of Object.entries(spec.fields)) {
		const ops = field.editor === false ? undefined : shownFor(spec, key);
		if (ops) shown[key] = ops;
	}
	return shown;
}

/** Each migration as a JavaScript expression: they are plain functions written to run in the browser too. */
function migrations(spec: NodeSpec): string {
	const entries = Object.entries(spec.migrations).map(
		([from, migrate]) => `${JSON.stringify(from)}: ${String(migrate)}`,
	);
	return `{${entries.join(', ')}}`;
}

/** The fields with a form row, whose inputs show the upgraded values. */
function editorFields(spec: NodeSpec): string {
	return JSON.stringify(Object.keys(spec.fields).filter((k) => spec.fields[k].editor !== false));
}

export function renderEditor(spec: NodeSpec, custom: EditorCustom = {}): string {
	const { type } = spec;
	const config = spec.category === 'config';
	const prefix = config ? 'node-config-input-' : 'node-input-';
	const hook = (name: string, body: string | undefined) =>
		body ? `\t\t${name}: function () {\n\t\t\t${body}\n\t\t},` : undefined;
	const prepare = [
		`window.bilibiliEditor.upgrade(this, ${spec.version}, ${migrations(spec)}, ${editorFields(spec)}, ${JSON.stringify(prefix)});`,
		spec.area
			? `window.bilibiliEditor.showFieldsPerOperation(${JSON.stringify(type)}, ${JSON.stringify(visibility(spec))});`
			: undefined,
		custom.prepare,
	]
		.filter(Boolean)
		.join('\n\t\t\t');
	const label =
		custom.label ??
		(spec.area
			? `return this.name || this.operation || this._('${type}.paletteLabel');`
			: `return this.name || this._('${type}.paletteLabel');`);
	const credentials = spec.credentials
		? `\t\tcredentials: ${JSON.stringify(Object.fromEntries(spec.credentials.map((k) => [k, { type: 'password' }])))},\n`
		: '';
	const look = config
		? ''
		: `\t\tcolor: '#7EC8E6',\n\t\tinputs: 1,\n\t\toutputs: 1,\n\t\ticon: 'bilibili.svg',\n`;
	const hooks = [hook('oneditprepare', prepare), hook('oneditsave', custom.save)]
		.concat(hook('oneditcancel', custom.cancel))
		.filter(Boolean)
		.join('\n');
	return `<!-- Generated by the build from node-red/specs/${type}.ts: edit that file, not this one. -->
<script type="text/javascript" src="${EDITOR_SCRIPT}"></script>
<script type="text/javascript">
	RED.nodes.registerType('${type}', {
		category: '${spec.category}',
${look}		defaults: {
${defaults(spec)}
		},
${credentials}		paletteLabel: function () { return this._('${type}.paletteLabel'); },
		label: function () { ${label} },
${hooks}
	});
</script>

<script type="text/html" data-template-name="${type}">
${rows(spec, prefix, custom)}
</script>
`;
}
