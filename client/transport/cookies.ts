/** The login cookies: read once, normalised, checked; the one place that writes the Cookie header. */
import { BilibiliValidationError } from '../errors';
import { own } from '../validate';

export interface BilibiliCredentials {
	/** Login cookie; every endpoint needs it. */
	SESSDATA: string;
	/** CSRF cookie; every POST sends it as `csrf`. */
	bili_jct?: string;
	/** The account's mid as a cookie; exp.php and the passport endpoint need it. */
	DedeUserID?: string | number;
	/** Device cookie; lowers the chance of risk-control answers. */
	buvid3?: string;
}

/** The Cookie header for these (checked) credentials. */
export function cookieHeader(c: BilibiliCredentials): string {
	return [
		`SESSDATA=${c.SESSDATA}`,
		c.bili_jct && `bili_jct=${c.bili_jct}`,
		c.DedeUserID !== undefined && `DedeUserID=${c.DedeUserID}`,
		c.buvid3 && `buvid3=${c.buvid3}`,
	]
		.filter(Boolean)
		.join('; ');
}

function hasControlCharacter(text: string): boolean {
	for (const ch of text) {
		const code = ch.codePointAt(0)!;
		if (code < 0x20 || code === 0x7f) return true;
	}
	return false;
}

export function checkCredentials(input: BilibiliCredentials | undefined): BilibiliCredentials {
	const check = (name: keyof BilibiliCredentials, required: boolean): string | undefined => {
		const raw = own(input, name);
		if (raw === undefined || raw === null || raw === '') {
			if (required) throw new BilibiliValidationError(name, `the ${name} cookie value`, 'nothing');
			return undefined;
		}
		let value = String(raw).trim();
		// People often paste "SESSDATA=xxx" from the browser's cookie table.
		if (value.startsWith(`${name}=`)) value = value.slice(name.length + 1);
		// Browsers show SESSDATA's commas encoded; accept a decoded copy too.
		value = value.replace(/,/g, '%2C');
		// Never echo the value: it is a secret.
		if (/[;\s"\\]/.test(value) || hasControlCharacter(value) || value === '') {
			throw new BilibiliValidationError(
				name,
				`only the ${name} cookie's value (no spaces, quotes or semicolons)`,
				`a ${value.length}-character value containing such characters`,
			);
		}
		// HTTP carries a cookie as ASCII: anything else (a CJK character, an emoji) fails when the request
		// goes out, after it may have counted as sent.
		if (/[^\x21-\x7e]/.test(value)) {
			throw new BilibiliValidationError(
				name,
				`only the ${name} cookie's value, in the ASCII characters HTTP headers carry`,
				`a ${value.length}-character value containing other characters (such as CJK characters)`,
			);
		}
		return value;
	};
	const DedeUserID = check('DedeUserID', false);
	if (DedeUserID !== undefined && !/^\d+$/.test(DedeUserID)) {
		// Described, not echoed: a cookie pasted into the wrong field must not appear in an error.
		throw new BilibiliValidationError(
			'DedeUserID',
			'the numeric DedeUserID cookie (your mid)',
			`a ${DedeUserID.length}-character value that is not a number`,
		);
	}
	// One spelling of the mid ("0123" is 123), so it names one account everywhere it is used.
	const mid = DedeUserID === undefined ? undefined : BigInt(DedeUserID).toString();
	return {
		SESSDATA: check('SESSDATA', true)!,
		bili_jct: check('bili_jct', false),
		DedeUserID: mid,
		buvid3: check('buvid3', false),
	};
}
