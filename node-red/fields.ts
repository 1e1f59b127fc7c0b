/**
 * A Node-RED node declared once: its fields (type, default, the operations they show for, the editor
 * check, the msg property that may fill them), its config version and the migrations that bring older
 * saved flows up to it. The build renders the editor from this table (editor.ts); the runtime reads
 * fields through it (`fieldReader`) and upgrades what it was saved with (`upgrade`).
 */
import { BilibiliValidationError, describe, type Id } from '../index';
import { nodeRedOperations, operationsTaking, type ApiArea } from '../client/operations';
import type { NodeDef, NodeMessage } from './types';

interface FieldBase {
	/** The msg property that fills this field when the editor leaves it blank; false: editor only. */
	msg?: string | false;
	/** The client parameter it fills (Bilibili's name; default: the msg property, else the key). */
	param?: string;
	/** The operations it is shown for; default: the area's operations taking `param` (else all). */
	operations?: readonly string[];
	/** Shown in the editor (a msg-only property has no row but is still documented in the help). */
	editor?: boolean;
}

/** A Bilibili id: digits as a number or text, kept exact (the client checks it). */
export interface IdField extends FieldBase {
	type: 'id';
	default: '';
}
export interface TextField extends FieldBase {
	type: 'text';
	default: string;
	/** The id of another config node of this type (the editor offers a list of them, as for the account). */
	node?: string;
}
/** A number, as a number or decimal text, passed on as given: the client checks it strictly (no "1e3"). */
export interface NumberField extends FieldBase {
	type: 'number';
	default: number | '';
	/** The editor's check (blank allowed): only what the client refuses at run time, never stricter. */
	integer?: boolean;
	min?: number;
	max?: number;
}
export interface BooleanField extends FieldBase {
	type: 'boolean';
	default: boolean;
}
export interface SelectField<T extends string = string> extends FieldBase {
	type: 'select';
	options: readonly T[];
	default: T;
}
export type Field = IdField | TextField | NumberField | BooleanField | SelectField;
export type Fields = Record<string, Field>;

/** What the runtime gets for a field: the types the client takes. */
export type ValueOf<F extends Field> = F extends IdField
	? Id
	: F extends NumberField
		? number | string
		: F extends BooleanField
			? boolean
			: F extends SelectField<infer T>
				? T
				: string;

/** One step: upgrades a node saved at version N to N + 1, in place. Runs in the runtime and the editor. */
export type Migration = (config: Record<string, unknown>) => void;

export interface NodeSpec<F extends Fields = Fields> {
	type: string;
	/** The config version new nodes are saved with; flows saved without one are version 1. */
	version: number;
	/** migrations[n] upgrades version n to n + 1. A migration is plain JavaScript with no imports. */
	migrations: Record<number, Migration>;
	/** Action nodes: the client's API area; its operations are offered (plus "set by msg.operation"). */
	area?: ApiArea;
	defaultOperation?: string;
	fields: F;
	/** Node-RED credentials (config node only): secret fields kept out of the flow file. */
	credentials?: readonly string[];
	category: 'bilibili' | 'config';
}

/** Declares a node; the identity function keeps the field and area types for the runtime's reads. */
export function defineNode<const F extends Fields, const A extends ApiArea | undefined = undefined>(
	spec: NodeSpec<F> & { area?: A },
): NodeSpec<F> & { area: A } {
	return { ...spec, area: spec.area as A };
}

/** The operations an action node offers in its editor, from the client's table. */
export function operationsOf(spec: NodeSpec): string[] {
	return spec.area ? nodeRedOperations(spec.area) : [];
}

/** The operations a field is shown for; undefined: always shown. */
export function shownFor(spec: NodeSpec, key: string): readonly string[] | undefined {
	const field = spec.fields[key];
	if (field.operations) return field.operations;
	if (!spec.area) return undefined;
	const param = field.param ?? (field.msg || key);
	const offered = operationsOf(spec);
	const taking = operationsTaking(spec.area, param).filter((op) => offered.includes(op));
	return taking.length ? taking : undefined;
}

/** Properties every saved node carries besides its fields. */
const FRAME = new Set(['id', 'type', 'z', 'name', 'x', 'y', 'g', 'wires', 'account', 'operation']);

/**
 * The saved config brought up to the spec's version (a copy): each migration from the saved version
 * on. Never fails on an old flow.
 */
export function upgrade(spec: NodeSpec, saved: NodeDef): NodeDef {
	const config: Record<string, unknown> = { ...saved };
	let version = Number(config.version) || 1;
	while (version < spec.version) {
		spec.migrations[version]?.(config);
		version++;
	}
	config.version = spec.version;
	// A field the saved node lacks stays blank, never its editor default: msg fills it, as before. (A
	// flow written by hand or by the Admin API often leaves out bp_num and gives it in msg.)
	return config as NodeDef;
}

/** Fields a node stores that are not in its table (a typo or a leftover the migrations missed). */
export function unknownFields(spec: NodeSpec, saved: NodeDef): string[] {
	return Object.keys(saved).filter(
		(k) => !FRAME.has(k) && k !== 'version' && !(k in spec.fields) && !k.startsWith('_'),
	);
}

/** A value filled in: not missing, null or blank text. */
export function given(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

/** Set in the editor: a value filled in, a box ticked (an unticked box leaves the choice to msg). */
function setInEditor(value: unknown): boolean {
	return given(value) && value !== false;
}

const EXPECTED: Record<Field['type'], string> = {
	id: 'a number or numeric text',
	text: 'text',
	number: 'a number (or its decimal text)',
	boolean: 'true or false',
	select: 'one of the listed values',
};

/** A value of the field's type, or a clear error naming where it came from; content is the client's to check. */
function typed<F extends Field>(field: F, name: string, value: unknown): ValueOf<F> {
	const ok = (v: unknown) => v as ValueOf<F>;
	switch (field.type) {
		case 'id':
		case 'number':
			if (typeof value === 'number' || typeof value === 'string') return ok(value);
			break;
		case 'text':
			if (typeof value === 'string') return ok(value);
			if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
			break;
		case 'boolean':
			// The same words the client accepts for its flags; anything else is refused, not guessed.
			if (typeof value === 'boolean') return ok(value);
			if (value === 'true' || value === 'false') return ok(value === 'true');
			break;
		case 'select':
			if (typeof value === 'string' && field.options.includes(value)) return ok(value);
			throw new BilibiliValidationError(
				name,
				`one of ${field.options.join(', ')}`,
				describe(value),
			);
	}
	throw new BilibiliValidationError(name, EXPECTED[field.type], describe(value));
}

export type FieldRead<F extends Fields> = <K extends keyof F & string>(
	key: K,
) => ValueOf<F[K]> | undefined;

/**
 * Node-RED's convention, field by field: a value set in the editor wins; msg fills only what the node
 * leaves blank, and `ignored` hears of each msg property a set value overrode (the node warns).
 * An unticked box is an answer (false) unless msg gives one.
 */
export function fieldReader<F extends Fields>(
	spec: NodeSpec<F>,
	config: NodeDef,
	msg: NodeMessage,
	ignored?: (msgKey: string, field: string) => void,
): FieldRead<F> {
	return (key) => {
		const field = spec.fields[key];
		const msgKey = field.msg === false ? undefined : (field.msg ?? key);
		const fromEditor = field.editor === false ? undefined : config[key];
		const fromMsg = msgKey === undefined ? undefined : msg[msgKey];
		if (setInEditor(fromEditor)) {
			if (given(fromMsg) && String(fromMsg) !== String(fromEditor)) ignored?.(msgKey!, key);
			return typed(field, key, fromEditor);
		}
		// Named as the client names it, so the error reads the same whichever side refused it.
		if (given(fromMsg)) return typed(field, msgKey!, fromMsg);
		return fromEditor === false ? typed(field, key, false) : undefined;
	};
}
