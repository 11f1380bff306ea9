// The device name template of an Autopilot deployment profile ("Apply device name template"): checked when a
// profile is saved, and turned into a computer name when a device deploys.
// Source: memdocs autopilot/profiles.md ("Names must be 15 characters or less, and can have letters, numbers,
// and hyphens. Names can't be all numbers. Use the %SERIAL% macro … the %RAND:x% macro … x equals the number
// of digits"); Windows DevDetail CSP Ext/Microsoft/DNSComputerName ("The character restriction limit doesn't
// count the length of the macros"; a serial that is too long "will be truncated from the beginning"; with
// both macros "the RANDOM macro will take priority over the SERIAL macro"); behaviour.md §5.2 (macros must be
// upper case: `%serial%` fails).

export const MAX_DEVICE_NAME_LENGTH = 15;

interface ParsedTemplate {
  /** The template without its macros. */
  readonly literal: string;
  readonly serial: boolean;
  /** Digits of %RAND:x%, if present. */
  readonly randomDigits?: number;
}

type Parsed = { ok: true; template: ParsedTemplate } | { ok: false; message: string };

function parse(template: string): Parsed {
  let literal = '';
  let serial = false;
  let randomDigits: number | undefined;
  const parts = template.split(/(%[^%]*%)/);
  for (const part of parts) {
    if (!part.startsWith('%') || part.length < 2 || !part.endsWith('%')) {
      if (part.includes('%')) return { ok: false, message: `'%' may only open a macro, %SERIAL% or %RAND:x%.` };
      literal += part;
      continue;
    }
    if (part === '%SERIAL%') {
      if (serial) return { ok: false, message: 'The template may use %SERIAL% only once.' };
      serial = true;
      continue;
    }
    const rand = /^%RAND:(\d{1,2})%$/.exec(part);
    if (rand) {
      if (randomDigits !== undefined) return { ok: false, message: 'The template may use %RAND:x% only once.' };
      randomDigits = Number(rand[1]);
      if (randomDigits < 1) return { ok: false, message: '%RAND:x% needs at least 1 digit.' };
      continue;
    }
    const upper = part.toUpperCase();
    if (upper === '%SERIAL%' || /^%RAND:\d+%$/.test(upper)) {
      return { ok: false, message: `Macros must be written in capitals: use ${upper === '%SERIAL%' ? '%SERIAL%' : upper} instead of ${part}.` };
    }
    return { ok: false, message: `'${part}' is not a macro; use %SERIAL% or %RAND:x% (x digits).` };
  }
  return { ok: true, template: { literal, serial, ...(randomDigits !== undefined ? { randomDigits } : {}) } };
}

/** Why the template cannot be saved, or undefined when it can (an empty template means "don't rename"). */
export function deviceNameTemplateProblem(template: string): string | undefined {
  if (template === '') return undefined;
  const parsed = parse(template);
  if (!parsed.ok) return parsed.message;
  const { literal, serial, randomDigits } = parsed.template;
  if (/\s/.test(literal)) return 'A device name cannot contain spaces.';
  if (!/^[A-Za-z0-9-]*$/.test(literal)) return 'A device name can have letters, numbers and hyphens only.';
  const length = literal.length + (randomDigits ?? 0);
  if (length > MAX_DEVICE_NAME_LENGTH || (serial && randomDigits === undefined && literal.length >= MAX_DEVICE_NAME_LENGTH)) {
    return `A device name must be ${MAX_DEVICE_NAME_LENGTH} characters or less; this template makes ${length}${serial && randomDigits === undefined ? ' before the serial number' : ''}.`;
  }
  const usesSerial = serial && randomDigits === undefined;
  if (!usesSerial && /^[0-9]*$/.test(literal)) return "A device name can't be all numbers.";
  return undefined;
}

/**
 * The computer name a device gets from the template: %RAND:x% becomes x random digits (and %SERIAL% is then
 * ignored); otherwise %SERIAL% becomes the serial number's letters, digits and hyphens, cut from the beginning
 * to fit 15 characters. `randomDigit` is injected so deployments stay deterministic.
 */
export function deviceNameFromTemplate(template: string, serialNumber: string, randomDigit: () => number): string {
  const parsed = parse(template);
  if (!parsed.ok || template === '') throw new Error(`invalid device name template '${template}'`);
  const { literal, randomDigits } = parsed.template;
  const budget = MAX_DEVICE_NAME_LENGTH - literal.length;
  const serial = serialNumber.replace(/[^A-Za-z0-9-]/g, '');
  const serialPart = budget > 0 ? serial.slice(-budget) : '';
  return template.split(/(%[^%]*%)/).map((part) => {
    if (part === '%SERIAL%') return randomDigits === undefined ? serialPart : '';
    if (part.startsWith('%RAND:')) return Array.from({ length: randomDigits! }, () => String(Math.floor(randomDigit()) % 10)).join('');
    return part;
  }).join('');
}
