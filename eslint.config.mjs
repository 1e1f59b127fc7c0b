import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

const code = ['**/*.ts', '**/*.js', '**/*.mjs'];

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	...[js.configs.recommended, ...tseslint.configs.recommended].map((config) => ({ ...config, files: code })),
	{
		files: ['**/*.js'],
		languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', exports: 'writable', process: 'readonly', __dirname: 'readonly' } },
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		files: code,
		rules: {
			// `_`-prefixed names are deliberate discards (e.g. pulling csrf out of a logged form).
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		// Editor code, run in the browser by Node-RED's editor (jQuery as $).
		files: ['resources/**/*.js'],
		languageOptions: { sourceType: 'script', globals: { window: 'readonly', $: 'readonly' } },
	},
	{
		files: ['node-red/**/*.ts'],
		// Node-RED's node constructors are plain functions whose `this` is the node; naming it `node` for
		// the handlers is the convention of Node-RED's own core nodes.
		rules: { '@typescript-eslint/no-this-alias': 'off' },
	},
	// n8n's own rules for community node packages, on the n8n side of the package and its package.json.
	// The variant without n8n Cloud's extra restrictions: this package is for self-hosted n8n (and Node-RED).
	{ ...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport, files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'] },
	{
		files: ['package.json'],
		// The n8n rules read package.json as a JSON expression through the TypeScript parser.
		languageOptions: { parser: tseslint.parser },
		rules: {
			// The same package is a Node-RED module and a typed client; it needs axios (HTTP, with the
			// money-safety rules in one transport) and qrcode (rendering QR pay codes). Both are named in
			// the README with their reasons.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			// `overrides` only pins jest's resolver for this repository's own dev install (see README); npm
			// ignores it when the package is installed into n8n.
			'@n8n/community-nodes/no-overrides-field': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			// SESSDATA, bili_jct and buvid3 are session cookies, as secret as a password though their names
			// do not say so; they must stay masked.
			'@n8n/community-nodes/credential-unnecessary-password': 'off',
		},
	},
);
