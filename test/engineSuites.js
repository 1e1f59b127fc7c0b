/**
 * The suites that start real engines from the packed packages: the n8n server stage (installs n8n into
 * a cache folder the first time), the Chromium editor tests, Node-RED end to end and the demos. They
 * run with `npm run test:engines` (jest.engines.config.js); `npm test` (jest.config.js) runs the rest.
 */
module.exports = [
	'test/n8n-server/',
	'test/node-red-editor/',
	'test/node-red/e2e.test.ts',
	'test/demo/',
];
