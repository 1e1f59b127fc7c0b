/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The real n8n server stage (test/n8n-server) installs n8n once (minutes) and runs it; CI always runs
	// it. BILIBILI_SKIP_N8N_SERVER=1 leaves it out of a local `npm test` (README, "Tests").
	testPathIgnorePatterns: process.env.BILIBILI_SKIP_N8N_SERVER === '1' ? ['/node_modules/', '<rootDir>/test/n8n-server/'] : ['/node_modules/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 30000,
};
