import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, json, startTestServer, type TestServer, type TestTenant } from '../helpers/server.js';
import { tenantScope } from '../../src/server/context.js';
import { findCorporateIdentifier, hasWindowsCorporateIdentifiers, setCorporateIdentifierEnrollmentState } from '../../src/intune/corporate-identifiers.js';

let t: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  t = await startTestServer();
  tenant = await createTestTenant(t, 'empty');
});
afterAll(() => t.close());

const BASE = '/beta/deviceManagement/importedDeviceIdentities';
/** One Windows identifier as the admin center's CSV upload sends it. */
const windows = (identifier: string, description = '') => ({
  '@odata.type': '#microsoft.graph.importedDeviceIdentity',
  importedDeviceIdentifier: identifier,
  importedDeviceIdentityType: 'manufacturerModelSerial',
  description,
  platform: 'windows',
});
const importList = (items: unknown[], overwrite = false) =>
  json(tenant.graph('POST', `${BASE}/importDeviceIdentityList`, { importedDeviceIdentities: items, overwriteImportedDeviceIdentities: overwrite }));

describe('corporate identifiers', () => {
  it('imports, lists, searches and deletes Windows identifiers', async () => {
    const scope = tenantScope(t.server.ctx, tenant.tenantId);
    expect(await hasWindowsCorporateIdentifiers(scope)).toBe(false);
    const res = await importList([windows('Microsoft,surface 5,01234567890123', 'Lab'), windows('Lenovo,thinkpad t14,02234567890123')]);
    expect(res.status).toBe(200);
    expect(res.body.value).toHaveLength(2);
    expect(res.body.value[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.importedDeviceIdentityResult',
      importedDeviceIdentifier: 'Microsoft,surface 5,01234567890123',
      importedDeviceIdentityType: 'manufacturerModelSerial',
      platform: 'windows',
      description: 'Lab',
      enrollmentState: 'notContacted',
      status: true,
    });
    const listed = await json(tenant.graph('GET', `${BASE}?$filter=importedDeviceIdentityType eq 'manufacturerModelSerial'`));
    expect(listed.body.value.map((i: any) => i.importedDeviceIdentifier).sort()).toEqual(['Lenovo,thinkpad t14,02234567890123', 'Microsoft,surface 5,01234567890123']);
    // The portal searches before uploading, to ask about duplicates; case and spaces don't matter.
    const found = await json(tenant.graph('POST', `${BASE}/searchExistingIdentities`, { importedDeviceIdentities: [{ importedDeviceIdentityType: 'manufacturerModelSerial', importedDeviceIdentifier: 'microsoft, Surface 5 ,01234567890123' }, windows('HP,EliteBook,X')] }));
    expect(found.body.value.map((i: any) => i.importedDeviceIdentifier)).toEqual(['Microsoft,surface 5,01234567890123']);
    // The deployment engine's questions.
    expect(await hasWindowsCorporateIdentifiers(scope)).toBe(true);
    const match = await findCorporateIdentifier(scope, { manufacturer: 'MICROSOFT', model: 'Surface 5', serialNumber: '0123456789.0123' });
    expect(match?.importedDeviceIdentifier).toBe('Microsoft,surface 5,01234567890123');
    expect(await findCorporateIdentifier(scope, { manufacturer: 'Microsoft', model: 'Surface 6', serialNumber: '01234567890123' })).toBeNull();
    await setCorporateIdentifierEnrollmentState(scope, match!.id, 'enrolled');
    const got = await json(tenant.graph('GET', `${BASE}/${match!.id}`));
    expect(got.body.enrollmentState).toBe('enrolled');
    expect(got.body.lastContactedDateTime).not.toBe('0001-01-01T00:00:00Z');

    expect((await tenant.graph('DELETE', `${BASE}/${match!.id}`)).status).toBe(204);
    expect((await tenant.graph('GET', `${BASE}/${match!.id}`)).status).toBe(404);
  });

  it('keeps existing identifiers unless told to overwrite; takes the first of duplicates; reports malformed ones', async () => {
    await importList([windows('Dell,Latitude 7440,ABC123', 'first')]);
    const again = await importList([windows('DELL,latitude 7440,abc123', 'second'), windows('Dell,Latitude,X1'), windows('Dell,Latitude,X1', 'dup'), windows('Dell,,X2'), windows('Dell,Latitude')]);
    expect(again.body.value.map((r: any) => r.status)).toEqual([false, true, false, false, false]);
    expect(again.body.value[0].description).toBe('first');
    const over = await importList([windows('Dell,Latitude 7440,ABC123', 'second')], true);
    expect(over.body.value[0]).toMatchObject({ status: true, description: 'second' });
    const listed = await json(tenant.graph('GET', `${BASE}?$filter=startswith(importedDeviceIdentifier,'Dell')`));
    expect(listed.body.value.map((i: any) => [i.importedDeviceIdentifier, i.description]).sort()).toEqual([
      ['Dell,Latitude 7440,ABC123', 'second'],
      ['Dell,Latitude,X1', ''],
    ]);
  });

  it('refuses a malformed request with a 400 naming the field, importing nothing', async () => {
    const badType = await importList([windows('A,B,C1'), { ...windows('A,B,C2'), importedDeviceIdentityType: 'macAddress' }]);
    expect(badType.status).toBe(400);
    expect(badType.body.error).toMatchObject({ code: 'BadRequest', target: 'importedDeviceIdentities[1].importedDeviceIdentityType' });
    const longDescription = await importList([windows('A,B,C3', 'x'.repeat(129))]);
    expect(longDescription.body.error.target).toBe('importedDeviceIdentities[0].description');
    const notList = await json(tenant.graph('POST', `${BASE}/importDeviceIdentityList`, { importedDeviceIdentities: 'A,B,C' }));
    expect(notList.body.error.target).toBe('importedDeviceIdentities');
    const overwrite = await json(tenant.graph('POST', `${BASE}/importDeviceIdentityList`, { importedDeviceIdentities: [], overwriteImportedDeviceIdentities: 'yes' }));
    expect(overwrite.body.error.target).toBe('overwriteImportedDeviceIdentities');
    const listed = await json(tenant.graph('GET', `${BASE}?$filter=startswith(importedDeviceIdentifier,'A,B')`));
    expect(listed.body.value).toEqual([]);
  });

  it('creates one identifier with POST and edits its description; a duplicate is a 409', async () => {
    const created = await json(tenant.graph('POST', BASE, windows('HP,EliteBook 840,5CG1234XYZ', 'desk 4')));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ platform: 'windows', enrollmentState: 'notContacted', description: 'desk 4' });
    expect((await json(tenant.graph('POST', BASE, windows('hp,elitebook 840,5cg1234xyz')))).status).toBe(409);
    expect((await tenant.graph('PATCH', `${BASE}/${created.body.id}`, { description: 'desk 5' })).status).toBe(204);
    const changed = await json(tenant.graph('PATCH', `${BASE}/${created.body.id}`, { importedDeviceIdentifier: 'HP,EliteBook 840,OTHER' }));
    expect(changed.body.error).toMatchObject({ code: 'BadRequest', target: 'importedDeviceIdentifier' });
    const malformed = await json(tenant.graph('POST', BASE, windows('HP EliteBook 5CG1')));
    expect(malformed.body.error).toMatchObject({ code: 'BadRequest', target: 'importedDeviceIdentifier' });
  });
});
