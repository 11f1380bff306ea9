// Intune's errors. Intune (deviceManagement, deviceAppManagement) answers with generic codes (BadRequest,
// NotFound, Forbidden) rather than the directory's Request_* codes (graph-api.md §1.5). Intune wraps its
// message in a JSON string; Tarmac keeps the message readable and names the field in `target`.
import { GraphError } from '../graph/errors.js';

export const intuneBadRequest = (message: string, target?: string) => new GraphError(400, 'BadRequest', message, target ? { target } : {});

/** A client's value as text, for a message or a comparison: a string as it is, anything else as JSON (String() throws on {"toString": …}). */
export const textOf = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));

export const intuneNotFound = (collection: string, id: string) =>
  new GraphError(404, 'NotFound', `No ${collection} object with id '${id}' exists in this tenant.`);
