/** What both demos share: everything they start is stopped once, on Ctrl-C, SIGTERM or any failure. */
const cleanups: Array<() => Promise<void> | void> = [];
let cleaning: Promise<void> | undefined;

/** Registers something to stop; they are stopped in reverse order. */
export function onCleanUp(fn: () => Promise<void> | void): void {
	cleanups.push(fn);
}

/** One clean-up, however many signals and exits ask for it. */
export function cleanUp(): Promise<void> {
	cleaning ??= (async () => {
		for (const fn of cleanups.splice(0).reverse()) await fn();
	})();
	return cleaning;
}

/** Cleans up and exits 0 on Ctrl-C or SIGTERM once `main` has started everything; on failure prints why and exits 1. */
export function runDemo(main: () => Promise<void>): void {
	main().then(
		() => {
			process.on('SIGINT', () => void cleanUp().then(() => process.exit(0)));
			process.on('SIGTERM', () => void cleanUp().then(() => process.exit(0)));
		},
		async (err) => {
			process.stderr.write(`${(err as Error).message}\n`);
			await cleanUp();
			process.exit(1);
		},
	);
}
