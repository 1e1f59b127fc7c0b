/** What the commands share before they start: --help prints the usage; a bad option is named above it. */

/**
 * `parsed` is the command's own parse of its arguments: its options, 'help', or what was wrong.
 * Returns the options, or the exit code to end with (0 after --help, `badOptionExit` after a bad one).
 */
export function optionsOrExit<A extends object>(
	name: string,
	usage: string,
	parsed: A | 'help' | string,
	badOptionExit: number,
): A | number {
	if (parsed === 'help') {
		process.stdout.write(usage);
		return 0;
	}
	if (typeof parsed === 'string') {
		process.stderr.write(`${name}: ${parsed}\n\n${usage}`);
		return badOptionExit;
	}
	return parsed;
}
