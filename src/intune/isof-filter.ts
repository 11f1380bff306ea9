// `isof('microsoft.graph.win32LobApp')` in a $filter over a polymorphic Intune collection, as app tools send
// it (alone, in parentheses, or-ed, and-ed with other conditions). The isof terms become a condition on the
// stored type; the rest of the filter goes to the ordinary OData compiler. Source: OData v4.01 URL
// conventions §5.1.1.11.4 (isof).

export interface IsOfSplit {
  /** The type names the isof terms allow (undefined: the filter has none). */
  readonly types?: readonly string[];
  /** The filter without its isof terms (undefined: nothing left). */
  readonly rest?: string;
}

const ISOF = /^isof\(\s*'([^']+)'\s*\)$/i;

/** Splits `text` on a keyword at parenthesis depth 0, outside string literals. */
function splitTopLevel(text: string, keyword: 'and' | 'or'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const re = new RegExp(`^\\s${keyword}\\s`, 'i');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && re.test(text.slice(i, i + keyword.length + 2))) {
      parts.push(text.slice(start, i));
      start = i + keyword.length + 2;
      i = start - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/** Removes parentheses that wrap the whole expression. */
function unwrap(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')')) {
    let depth = 0;
    let quoted = false;
    let closesAtEnd = true;
    for (let i = 0; i < t.length; i++) {
      const c = t[i];
      if (c === "'") quoted = !quoted;
      else if (!quoted && c === '(') depth++;
      else if (!quoted && c === ')' && --depth === 0 && i < t.length - 1) closesAtEnd = false;
    }
    if (!closesAtEnd) break;
    t = t.slice(1, -1).trim();
  }
  return t;
}

/** The types of an `isof(…) or isof(…)` term, or undefined when the term is something else. */
function isOfTypes(term: string): string[] | undefined {
  const alternatives = splitTopLevel(unwrap(term), 'or').map(unwrap);
  const types: string[] = [];
  for (const alt of alternatives) {
    const m = ISOF.exec(alt);
    if (!m) return undefined;
    types.push(m[1]!);
  }
  return types;
}

export function splitIsOf(filter: string | undefined, derived: (typeName: string) => readonly string[]): IsOfSplit {
  if (filter === undefined || !/isof\s*\(/i.test(filter)) return { rest: filter };
  let allowed: Set<string> | undefined;
  const rest: string[] = [];
  for (const term of splitTopLevel(unwrap(filter), 'and')) {
    const types = isOfTypes(term);
    if (!types) {
      rest.push(term);
      continue;
    }
    const matched = new Set(types.flatMap((t) => derived(t)));
    allowed = allowed ? new Set([...allowed].filter((t) => matched.has(t))) : matched;
  }
  return { types: allowed ? [...allowed] : undefined, rest: rest.length > 0 ? rest.join(' and ') : undefined };
}
