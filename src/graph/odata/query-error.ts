// The 400 errors of OData query options, worded as Microsoft Graph words them.
import { GraphError } from '../errors.js';

/** Graph answers malformed or ill-typed query options with 400 `BadRequest`. */
export const queryError = (message: string) => new GraphError(400, 'BadRequest', message);

export const syntaxError = (position: number, text: string) =>
  queryError(`Syntax error at position ${position} in '${text}'.`);

export const propertyNotFound = (name: string, typeName: string) =>
  queryError(`Could not find a property named '${name}' on type '${typeName}'.`);

/**
 * Query options come from a URL, which Graph caps at a few kilobytes; refusing longer text up front keeps
 * every parser linear and bounded.
 */
export const MAX_QUERY_LENGTH = 8192;

export function checkLength(option: string, text: string): void {
  if (text.length > MAX_QUERY_LENGTH) {
    throw queryError(`The ${option} query option is too long: ${text.length} characters, the limit is ${MAX_QUERY_LENGTH}.`);
  }
}
