// Copies what tsc does not: n8n node icons, Node-RED editor .html files, locales and icons.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(
		['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}', 'node-red/**/*.html', 'node-red/**/locales/**/*.{json,html}', 'node-red/icons/*.{png,svg}'],
		{ base: '.', allowEmpty: true, encoding: false },
	).pipe(dest('dist'));
}

exports.build = copyAssets;
exports.default = copyAssets;
