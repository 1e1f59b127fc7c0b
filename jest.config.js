/** `npm test`: the fast suites. The real engines are in jest.engines.config.js (`npm run test:engines`). */
/** @type {import('jest').Config} */
const base = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

const engines = require('./test/engineSuites.js');

module.exports = {
	testTimeout: 30000,
	projects: [
		{
			...base,
			displayName: 'tests',
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', ...engines.map((suite) => `<rootDir>/${suite}`)],
		},
		{
			// The client contract on the n8n runtime: the simulator suites again, sending through n8n-core's
			// httpRequestWithAuthentication (test/helpers/runtimes.ts).
			...base,
			displayName: 'client on the n8n runtime',
			roots: ['<rootDir>/test/sim'],
			testMatch: ['**/*.test.ts'],
			setupFiles: ['<rootDir>/test/helpers/n8nRuntime.setup.js'],
		},
	],
};
