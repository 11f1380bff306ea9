// What kind of group a group is, from its groupTypes (Graph docs group resource: "Unified" for Microsoft
// 365 groups, "DynamicMembership" for rule-based membership).
const hasType = (g: Readonly<Record<string, unknown>>, t: string) =>
  Array.isArray(g.groupTypes) && g.groupTypes.some((x) => typeof x === 'string' && x.toLowerCase() === t);

export const isUnified = (g: Readonly<Record<string, unknown>>) => hasType(g, 'unified');
export const isDynamic = (g: Readonly<Record<string, unknown>>) => hasType(g, 'dynamicmembership');
