// The official @microsoft/microsoft-graph-client pointed at a test server. Its AuthenticationHandler adds
// the token to https URLs only, so over the test servers' plain http a first middleware adds it; the rest
// of the chain is the client's own (RetryHandler, HTTPMessageHandler).
import { Client, HTTPMessageHandler, RetryHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';

export function graphClient(baseUrl: string, token: string, defaultVersion: 'v1.0' | 'beta' = 'beta'): Client {
  const bearer: Middleware & { next?: Middleware } = {
    async execute(context: Context) {
      context.options = { ...context.options, headers: { ...(context.options?.headers as Record<string, string>), Authorization: `Bearer ${token}` } };
      await bearer.next!.execute(context);
    },
    setNext(next: Middleware) {
      bearer.next = next;
    },
  };
  const retry = new RetryHandler();
  bearer.setNext!(retry);
  retry.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({ middleware: bearer, baseUrl: `${baseUrl}/`, defaultVersion, customHosts: new Set(['localhost', '127.0.0.1']) });
}
