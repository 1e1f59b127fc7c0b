import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const code = ['**/*.ts', '**/*.js', '**/*.mjs'];

export default tseslint.config(
	{ ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**'] },
	...[js.configs.recommended, ...tseslint.configs.recommended].map((config) => ({
		...config,
		files: code,
	})),
	{
		files: ['**/*.js'],
		languageOptions: {
			sourceType: 'commonjs',
			globals: {
				require: 'readonly',
				module: 'writable',
				exports: 'writable',
				process: 'readonly',
				__dirname: 'readonly',
			},
		},
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		files: code,
		rules: {
			// `_`-prefixed names are deliberate discards (e.g. pulling csrf out of a logged form).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
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
	// n8n's own rules (@n8n/node-cli's exact configuration, with n8n Cloud's restrictions) run on the n8n
	// package's sources from eslint.n8n.config.mjs (npm run lint).
);
