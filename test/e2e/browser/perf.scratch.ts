import { it } from 'vitest';
import { startTestServer, createTestTenant, json } from '../../helpers/server.js';
import { graphClient } from '../../helpers/graph-client.js';
import { devicePreparationTutorial, PASSWORD, type Lab } from '../../provisioning/tutorial.js';

it('perf', async () => {
  const t = await startTestServer();
  const tenant = await createTestTenant(t, 'empty', 'F');
  const lab: Lab = { t, tenant, client: graphClient(t.url, tenant.token, 'beta'), control: (m, p, b) => json(t.control(m, `/tenants/${tenant.tenantId}${p}`, b)) };
  await lab.control('POST', '/clock', { rate: 0 });
  const tut = await devicePreparationTutorial(lab, { apps: [{ name: 'A' }, { name: 'B' }], scripts: [{ name: 'S' }] });
  const policy = await lab.client.api('/policies/deviceRegistrationPolicy').get();
  await lab.client.api('/policies/deviceRegistrationPolicy').put({ ...policy, userDeviceQuota: 1_000_000 });
  const N = Number(process.env.N ?? 2000);
  let s = Date.now();
  const devs = await lab.control('POST', '/devices', Array.from({ length: N }, () => ({})));
  console.log('create', N, Date.now() - s);
  s = Date.now();
  const ids = devs.body.value.map((d: any) => d.id);
  let i = 0;
  const C = Number(process.env.C ?? 8);
  await Promise.all(Array.from({ length: C }, async () => { while (i < ids.length) { const id = ids[i++]; const r = await lab.control('POST', `/devices/${id}/sign-in`, { userPrincipalName: tut.user.upn, password: PASSWORD }); if (r.status !== 201) throw new Error(JSON.stringify(r.body)); } }));
  console.log('signin', N, Date.now() - s);
  for (const adv of [30, 30, 60, 3600]) {
    s = Date.now();
    const c = await lab.control('POST', '/clock', { advanceSeconds: adv });
    console.log('advance', adv, Date.now() - s, c.body.deploymentsMoved);
  }
  await t.close();
});
