// Resolves property paths (`azureADJoin/isAdminConfigurable`) against a shape to canonical names and a type.
import { propertyNotFound, queryError } from './query-error.js';
import { edmTypeName, findProperty, type PropType, type ResourceShape } from './shape.js';

/** A value read from the resource (scope 0) or from the element of the n-th enclosing lambda (scope n). */
export interface BoundRef {
  readonly scope: number;
  /** Canonical property names from the scope's value; empty for a lambda element itself. */
  readonly path: readonly string[];
  readonly type: PropType;
}

/** A path from the resource; names match case-insensitively, as Graph matches them. */
export function resolveProperty(shape: ResourceShape, segments: readonly string[]): BoundRef {
  const [first, ...rest] = segments as [string, ...string[]];
  const name = findProperty(shape.properties, first);
  if (name === undefined) throw propertyNotFound(first, shape.typeName);
  return resolveMembers({ scope: 0, path: [name], type: shape.properties[name]! }, rest);
}

/** Walks further into complex values. */
export function resolveMembers(from: BoundRef, segments: readonly string[]): BoundRef {
  let type = from.type;
  const path = [...from.path];
  for (const segment of segments) {
    if (type.kind === 'collection') {
      throw queryError(
        `The parent value for a property access of a property '${segment}' is not a single value. ` +
          'Property access can only be applied to a single value.',
      );
    }
    const name = type.kind === 'complex' ? findProperty(type.properties, segment) : undefined;
    if (name === undefined) throw propertyNotFound(segment, edmTypeName(type));
    type = (type as Extract<PropType, { kind: 'complex' }>).properties[name]!;
    path.push(name);
  }
  return { scope: from.scope, path, type };
}
