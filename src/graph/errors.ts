// Graph-shaped errors. Every failure a client sees is {"error":{"code","message","innerError"}}
// (graph-api.md §1.5); services throw GraphError and the HTTP layer adds innerError.

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra fields for the error object, e.g. `details` or a `target` naming the bad field. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

// Directory (Entra) resources use Request_* codes; Intune resources use the generic ones.
export const badRequest = (message: string, target?: string) =>
  new GraphError(400, 'Request_BadRequest', message, target ? { target } : {});

export const notFound = (message = 'Resource not found.') =>
  new GraphError(404, 'Request_ResourceNotFound', message);

export const resourceNotFound = (id: string) =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const conflict = (message: string) =>
  new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', message);

export const forbidden = (message = 'Insufficient privileges to complete the operation.') =>
  new GraphError(403, 'Authorization_RequestDenied', message);

export const unauthorized = (message: string) => new GraphError(401, 'InvalidAuthenticationToken', message);

export interface InnerError {
  date: string;
  'request-id': string;
  'client-request-id': string;
}

export function errorBody(err: GraphError, inner: InnerError): Record<string, unknown> {
  return { error: { code: err.code, message: err.message, ...err.extra, innerError: inner } };
}
