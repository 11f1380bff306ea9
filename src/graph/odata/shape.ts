// The type description of a Graph resource that the OData query compilers check names and literals against.

export type PropType =
  | { kind: 'string' | 'boolean' | 'int' | 'number' | 'datetime' | 'guid' }
  /** An enum stored as a string; a flags enum is comma-separated ("mdm,enrollment") and supports `has`. */
  | { kind: 'enum'; flags?: boolean; /** e.g. 'microsoft.graph.platforms', for messages and enum literals */ typeName?: string }
  /** e.g. Collection(Edm.String), Collection(graph.assignedPlan). */
  | { kind: 'collection'; of: PropType }
  | { kind: 'complex'; properties: Readonly<Record<string, PropType>>; /** e.g. 'microsoft.graph.assignedLicense' */ typeName?: string };

export interface ResourceShape {
  /** e.g. 'microsoft.graph.user' (used in error messages). */
  readonly typeName: string;
  /** Canonical Graph property names, e.g. userPrincipalName. */
  readonly properties: Readonly<Record<string, PropType>>;
  /** Properties held in a real column instead of inside the JSON `data` column, e.g. { id: 'id' }. */
  readonly columns?: Readonly<Record<string, string>>;
}

/** The EDM name of a type as Graph spells it in error messages. */
export function edmTypeName(type: PropType): string {
  switch (type.kind) {
    case 'string':
      return 'Edm.String';
    case 'boolean':
      return 'Edm.Boolean';
    case 'int':
      return 'Edm.Int32';
    case 'number':
      return 'Edm.Double';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    case 'guid':
      return 'Edm.Guid';
    case 'enum':
      return type.typeName ?? 'Edm.String';
    case 'collection':
      return `Collection(${edmTypeName(type.of)})`;
    case 'complex':
      return type.typeName ?? 'Edm.ComplexType';
  }
}

const lowerCaseIndexes = new WeakMap<object, ReadonlyMap<string, string>>();

/**
 * The canonical name of a property, matched case-insensitively as Graph does
 * (clients send `TemplateReference/templateId` for `templateReference`). An exact match wins.
 */
export function findProperty(properties: Readonly<Record<string, PropType>>, name: string): string | undefined {
  if (Object.hasOwn(properties, name)) return name;
  let index = lowerCaseIndexes.get(properties);
  if (!index) {
    index = new Map(Object.keys(properties).map((key) => [key.toLowerCase(), key]));
    lowerCaseIndexes.set(properties, index);
  }
  return index.get(name.toLowerCase());
}
