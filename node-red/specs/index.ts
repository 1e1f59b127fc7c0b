/** Every Node-RED node's declaration: what the build renders into editor files and the tests check. */
import type { NodeSpec } from '../fields';
import { renderEditor } from '../editor';
import account from './bilibili-account';
import charge from './bilibili-charge';
import config from './bilibili-config';
import { CONFIG_EDITOR } from './bilibili-config.editor';
import customerService from './bilibili-customer-service';
import qrpay from './bilibili-qrpay';
import remark from './bilibili-remark';
import remarkIn from './bilibili-remark-in';

export const NODE_SPECS: readonly NodeSpec[] = [
	config,
	charge,
	qrpay,
	remark,
	remarkIn,
	account,
	customerService,
];

/** Each node's editor file, by type (the build writes them to dist/node-red/<type>.html). */
export function editorFiles(): Record<string, string> {
	return Object.fromEntries(
		NODE_SPECS.map((spec) => [
			spec.type,
			renderEditor(spec, spec.type === 'bilibili-config' ? CONFIG_EDITOR : {}),
		]),
	);
}
