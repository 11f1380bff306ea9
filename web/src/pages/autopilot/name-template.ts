// The deployment profile's "Apply device name template" check as the portal makes it while you type: 15
// characters or less, letters, numbers and hyphens, not all numbers, no spaces, the macros %SERIAL% and
// %RAND:x% in capitals. The same rules and messages as the service's check (src/intune/device-name-template.ts),
// which has the last word when the profile is saved; test/web/ holds the two to the same answers.
// Pure, no imports: tested in Node.

export const MAX_DEVICE_NAME_LENGTH = 15;

interface Parsed {
  readonly literal: string;
  readonly serial: boolean;
  readonly randomDigits?: number;
}

function parse(template: string): { ok: true; template: Parsed } | { ok: false; message: string } {
  let literal = '';
  let serial = false;
  let randomDigits: number | undefined;
  for (const part of template.split(/(%[^%]*%)/)) {
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
      return { ok: false, message: `Macros must be written in capitals: use ${upper} instead of ${part}.` };
    }
    return { ok: false, message: `'${part}' is not a macro; use %SERIAL% or %RAND:x% (x digits).` };
  }
  return { ok: true, template: { literal, serial, ...(randomDigits !== undefined ? { randomDigits } : {}) } };
}

/** Why the template cannot be saved, or undefined when it can ('' means the device keeps its name). */
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
  if (!(serial && randomDigits === undefined) && /^[0-9]*$/.test(literal)) return "A device name can't be all numbers.";
  return undefined;
}

/**
 * What a device with this serial number would be called (random digits shown as 0), for the hint under
 * the field; undefined while the template is invalid.
 */
export function exampleDeviceName(template: string, serialNumber: string): string | undefined {
  if (template === '' || deviceNameTemplateProblem(template) !== undefined) return undefined;
  const parsed = parse(template);
  if (!parsed.ok) return undefined;
  const { literal, randomDigits } = parsed.template;
  const budget = MAX_DEVICE_NAME_LENGTH - literal.length;
  const serial = serialNumber.replace(/[^A-Za-z0-9-]/g, '');
  const serialPart = budget > 0 ? serial.slice(-budget) : '';
  return template
    .split(/(%[^%]*%)/)
    .map((part) => {
      if (part === '%SERIAL%') return randomDigits === undefined ? serialPart : '';
      if (part.startsWith('%RAND:')) return '0'.repeat(randomDigits ?? 0);
      return part;
    })
    .join('');
}

/** A computer name an admin gives one device (updateDeviceProperties displayName): the service's rule. */
export function deviceNameProblem(name: string): string | undefined {
  if (name === '') return undefined;
  if (!/^[A-Za-z0-9-]{1,15}$/.test(name)) return 'A device name must be 1 to 15 letters, numbers or hyphens.';
  if (/^[0-9]+$/.test(name)) return "A device name can't be all numbers.";
  return undefined;
}
