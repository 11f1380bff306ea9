// Identifiers: Graph object ids are lowercase GUIDs.
import { randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: string): boolean => GUID.test(s);
