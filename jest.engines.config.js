/** `npm run test:engines`: the real engines (test/engineSuites.js lists them). */
const engines = require('./test/engineSuites.js');

/** @type {import('jest').Config} */
module.exports = {
	displayName: 'engines',
	testTimeout: 30000,
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testMatch: engines.map(
		(suite) => `<rootDir>/${suite}${suite.endsWith('/') ? '**/*.test.ts' : ''}`,
	),
};
