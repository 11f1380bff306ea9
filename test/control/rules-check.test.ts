// POST /_tarmac/rules/check: the rule editor's check as you type, with Entra's positioned errors.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { json, startTestServer, type TestServer } from '../helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

it('accepts a valid rule and positions the error of a broken one', async () => {
  expect((await json(t.control('POST', '/rules/check', { rule: '(device.devicePhysicalIds -any (_ -startsWith "[ZTDId]"))' }))).body).toEqual({ valid: true, kind: 'device' });
  const broken = await json(t.control('POST', '/rules/check', { rule: '(user.department -eq "Sales") -and (user.citty -eq "Oslo")' }));
  expect(broken.status).toBe(200);
  expect(broken.body).toMatchObject({ valid: false, error: { position: 36, end: 46, detail: 'Attribute not supported.' } });
  expect((await json(t.control('POST', '/rules/check', { rule: '(device.model -eq "X")', kind: 'filter' }))).body).toMatchObject({ valid: true });
});

it('refuses a body without a rule', async () => {
  const r = await json(t.control('POST', '/rules/check', { kind: 'membership' }));
  expect(r.status).toBe(400);
  expect(r.body.error).toMatchObject({ target: 'rule' });
});
