// $select: parses `id,displayName` against a shape to canonical names, and projects objects onto them.
import { TokenCursor } from './lexer.js';
import { checkLength, propertyNotFound } from './query-error.js';
import { findProperty, type ResourceShape } from './shape.js';

/** Canonical names in the order asked, without repeats; `*` (or nothing) selects every property. */
export function parseSelect(text: string, shape: ResourceShape): readonly string[] {
  checkLength('$select', text);
  const tokens = new TokenCursor(text);
  if (tokens.accept('end')) return Object.keys(shape.properties);
  const names = new Set<string>();
  do {
    if (tokens.accept('*')) {
      for (const name of Object.keys(shape.properties)) names.add(name);
      continue;
    }
    const written = tokens.expect('identifier').text;
    names.add(findProperty(shape.properties, written) ?? throwNotFound(written, shape.typeName));
  } while (tokens.accept(','));
  tokens.expect('end');
  return [...names];
}

/**
 * Keeps the selected properties, plus `id` and the `@odata.*` annotations, which Graph always returns.
 * A selected property the object lacks comes back as null, as on Graph.
 */
export function applySelect(obj: Readonly<Record<string, unknown>>, selected: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key.startsWith('@odata.') || key === 'id') out[key] = value;
  }
  for (const name of selected) out[name] = (Object.hasOwn(obj, name) ? obj[name] : undefined) ?? null;
  return out;
}

function throwNotFound(name: string, typeName: string): never {
  throw propertyNotFound(name, typeName);
}
