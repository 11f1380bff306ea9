// Graph's JSON reader accepts object keys without quotes ({ groupTag: "x" }), and some PowerShell
// modules send them (WindowsAutopilotIntune's Set-AutopilotDevice). Tarmac accepts them too, by quoting
// such keys when the strict parse fails; strings are left untouched.

const IDENT_START = /[A-Za-z_$]/;
const IDENT = /[A-Za-z0-9_$]/;

/** The text with bare object keys quoted, or undefined when there is nothing to quote. */
export function quoteBareKeys(text: string): string | undefined {
  let out = '';
  let changed = false;
  let inString = false;
  let lastSignificant = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      lastSignificant = c;
      continue;
    }
    if ((lastSignificant === '{' || lastSignificant === ',') && IDENT_START.test(c)) {
      let j = i;
      while (j < text.length && IDENT.test(text[j]!)) j++;
      let k = j;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      if (text[k] === ':') {
        out += `"${text.slice(i, j)}"`;
        changed = true;
        lastSignificant = '"';
        i = j - 1;
        continue;
      }
    }
    out += c;
    if (!/\s/.test(c)) lastSignificant = c;
  }
  return changed ? out : undefined;
}
