/** @type {import('jest').Config} */
const base = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

module.exports = {
	testTimeout: 30000,
	projects: [
		{
			...base,
			displayName: 'tests',
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			// The real n8n server stage (test/n8n-server) installs n8n once (minutes) and runs it; CI always
			// runs it. BILIBILI_SKIP_N8N_SERVER=1 leaves it out of a local `npm test` (README, "Tests").
			testPathIgnorePatterns: process.env.BILIBILI_SKIP_N8N_SERVER === '1' ? ['/node_modules/', '<rootDir>/test/n8n-server/'] : ['/node_modules/'],
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
