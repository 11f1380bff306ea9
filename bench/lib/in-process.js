// For benches that run the server in their own process (to call the engine's services directly): a new
// tenant through the control API, an admin app token, and JSON helpers for the control API and Graph that
// throw on any answer other than 2xx.

export async function inProcessTenant(server, controlKey) {
  const base = server.url;
  const call = async (url, method, headers, body) => {
    const res = await fetch(url, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const control = (method, path, body) => call(`${base}/_tarmac${path}`, method, { authorization: `Bearer ${controlKey}` }, body);
  const tenant = await control('POST', '/tenants', { seed: 'empty' });
  const tokenRes = await fetch(`${base}/${tenant.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: tenant.admin.clientId, client_secret: tenant.admin.clientSecret, scope: 'https://graph.microsoft.com/.default' }),
  });
  const token = (await tokenRes.json()).access_token;
  if (!token) throw new Error('no admin token for the bench tenant');
  const graph = (method, path, body) => call(`${base}${path}`, method, { authorization: `Bearer ${token}` }, body);
  return { tenant, token, control, graph };
}
