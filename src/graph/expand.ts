// $expand of navigation properties (members, owners, memberOf, manager…): parsed against the names a
// resource offers, each expanded with at most 20 objects, as Graph caps directory expansions.
// Source: Graph docs query-parameters.md ("$expand … returns up to 20 objects").
import type { Scope } from '../server/context.js';
import { GraphError } from './errors.js';

/** Loads the objects a navigation property holds for one entity (each with its @odata.type). */
export type NavigationLoader = (scope: Scope, id: string) => Promise<Record<string, unknown>[]>;

/** A navigation property that holds a single object (manager) rather than a collection. */
export interface Navigation {
  readonly load: NavigationLoader;
  readonly single?: boolean;
  /** Contained collections (a policy's settings) are expanded whole; references stop at MAX_EXPANDED. */
  readonly contained?: boolean;
}

export interface ExpandItem {
  readonly name: string;
  readonly select?: readonly string[];
}

export const MAX_EXPANDED = 20;

export function parseExpand(text: string, navigations: Readonly<Record<string, Navigation>>, typeName: string): ExpandItem[] {
  const byLower = new Map(Object.keys(navigations).map((n) => [n.toLowerCase(), n]));
  const items: ExpandItem[] = [];
  for (const part of splitTopLevel(text)) {
    const m = /^\s*([A-Za-z0-9_]+)\s*(?:\((.*)\))?\s*$/s.exec(part);
    if (!m) throw new GraphError(400, 'BadRequest', `Syntax error in $expand at '${part.trim()}'.`);
    const name = byLower.get(m[1]!.toLowerCase());
    if (!name) {
      throw new GraphError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${m[1]}' on type '${typeName}'.`);
    }
    items.push({ name, ...(m[2] !== undefined ? { select: nestedSelect(m[2]) } : {}) });
  }
  return items;
}

/** Adds each expanded navigation property to the entity. */
export async function applyExpand(scope: Scope, obj: Record<string, unknown>, items: readonly ExpandItem[], navigations: Readonly<Record<string, Navigation>>) {
  for (const item of items) {
    const nav = navigations[item.name]!;
    const loaded = await nav.load(scope, String(obj.id));
    const related = (nav.contained ? loaded : loaded.slice(0, MAX_EXPANDED)).map((o) => (item.select ? pick(o, item.select) : o));
    obj[item.name] = nav.single ? (related[0] ?? null) : related;
  }
  return obj;
}

function nestedSelect(options: string): string[] {
  const m = /^\s*\$?select\s*=\s*([A-Za-z0-9_,\s]+)$/i.exec(options);
  if (!m) throw new GraphError(400, 'BadRequest', `Only $select is supported inside $expand options, not '${options}'.`);
  return m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
}

function pick(obj: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.type': obj['@odata.type'], id: obj.id };
  for (const n of names) {
    const key = Object.keys(obj).find((k) => k.toLowerCase() === n.toLowerCase());
    if (key) out[key] = obj[key];
  }
  return out;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((p) => p.trim() !== '');
}
