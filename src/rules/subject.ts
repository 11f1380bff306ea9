// The values a rule is evaluated against (a RuleSubject, keyed by rule property names), read from a stored
// Graph user or device through the one mapping in properties.ts, and the inverse for tests and seeding.
import { customExtensionKey, findProperty, isCustomExtension, propertiesOf, type ObjectKind } from './properties.js';

/**
 * A user or device as rules see it: values keyed by canonical rule names (`department`, `devicePhysicalIds`,
 * `assignedPlans`, `extensionAttribute1`…), plus `memberOf` (ids of the groups it is a direct member of) and
 * `manager` (the manager's object id, users only). A missing key means null.
 */
export type RuleSubject = Readonly<Record<string, unknown>>;

export interface SubjectExtras {
  /** Ids of the groups the object is a direct member of (memberOf rules). */
  readonly memberOf?: readonly string[];
  /** The user's manager (Direct Reports rules). */
  readonly managerId?: string | null;
}

/** Reads a stored Graph object (as returned by the directory services) into rule names. */
export function subjectFromGraph(kind: ObjectKind, graphObject: Readonly<Record<string, unknown>>, extras: SubjectExtras = {}): RuleSubject {
  const subject: Record<string, unknown> = {};
  for (const property of propertiesOf(kind)) {
    if (property.graph) subject[property.name] = readGraphPath(graphObject, property.graph);
  }
  subject.memberOf = extras.memberOf ?? [];
  if (kind === 'user') {
    subject.manager = extras.managerId ?? null;
    for (const key of Object.keys(graphObject)) {
      if (isCustomExtension(key)) subject[customExtensionKey(key)] = graphObject[key];
    }
  }
  return subject;
}

/** The value at a path of property names and array indexes; a missing step reads as undefined. */
export function readGraphPath(value: unknown, path: readonly (string | number)[]): unknown {
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[step];
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      value = Object.hasOwn(value, step) ? (value as Record<string, unknown>)[step] : undefined;
    }
  }
  return value;
}

/** Where a rule property lives in the stored Graph object (undefined for memberOf and manager). */
export function graphPathOf(kind: ObjectKind, name: string): readonly (string | number)[] | undefined {
  return findProperty(kind, name)?.graph;
}

/**
 * The stored Graph object that reads back as `subject` (the inverse of subjectFromGraph), with the links it
 * implies: for tests and demo data. Keys that are not rule properties are ignored.
 */
export function graphFromSubject(
  kind: ObjectKind,
  subject: RuleSubject,
): { readonly object: Record<string, unknown>; readonly memberOf: readonly string[]; readonly managerId: string | null } {
  const object: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(subject)) {
    if (name === 'memberOf' || name === 'manager' || value === undefined) continue;
    const path = graphPathOf(kind, name);
    if (path) writeGraphPath(object, path, value);
  }
  const memberOf = Array.isArray(subject.memberOf) ? (subject.memberOf as unknown[]).filter((v): v is string => typeof v === 'string') : [];
  const managerId = typeof subject.manager === 'string' ? subject.manager : null;
  return { object, memberOf, managerId };
}

function writeGraphPath(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let container: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    const last = i === path.length - 1;
    const nextIsIndex = typeof path[i + 1] === 'number';
    const slot = container as Record<string | number, unknown>;
    if (last) {
      slot[step] = value;
      return;
    }
    if (slot[step] === undefined || slot[step] === null || typeof slot[step] !== 'object') slot[step] = nextIsIndex ? [] : {};
    container = slot[step] as Record<string, unknown> | unknown[];
  }
}
