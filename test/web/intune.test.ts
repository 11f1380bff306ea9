// The admin center's copies of server rules for the Intune screens (web/src/pages/intune/): the device
// preparation policy body the wizard sends is the server's portal body for the same choices, an existing
// policy reads back into the same choices, the limits are the template's, and the corporate identifier CSV
// is checked row by row as the server's CSV reader checks it.
import { describe, expect, it } from 'vitest';
import {
  DEVICE_PREPARATION_TEMPLATES,
  MAX_ALLOWED_APPS,
  MAX_ALLOWED_SCRIPTS,
  USER_DRIVEN_TEMPLATE_ID,
  userDrivenPolicyBody,
  type UserDrivenPolicyChoices,
} from '../../src/intune/device-preparation-templates.js';
import { ALLOWED_APP_TYPES } from '../../src/intune/device-preparation-allowed-items.js';
import { parseCorporateIdentifierCsv } from '../../src/intune/corporate-identifier-csv.js';
import {
  ALLOWED_APP_TYPES as WEB_APP_TYPES,
  MAX_APPS,
  MAX_SCRIPTS,
  NEW_POLICY,
  TIMEOUT_MAX,
  TIMEOUT_MIN,
  USER_DRIVEN_TEMPLATE_ID as WEB_TEMPLATE_ID,
  checkDraft,
  draftFromPolicy,
  policyBody,
  type PolicyDraft,
} from '../../web/src/pages/intune/device-preparation.js';
import { parseCorporateCsv } from '../../web/src/pages/intune/corporate-csv.js';

const app = { id: '2f1f9a8e-0d1c-4a55-9f0e-3b1d7c6a5e41', type: '#microsoft.graph.win32LobApp' };
const script = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const drafts: [string, PolicyDraft, UserDrivenPolicyChoices][] = [
  [
    'the defaults',
    { ...NEW_POLICY, name: 'Defaults' },
    { name: 'Defaults', accountType: 'standardUser', timeoutMinutes: 60, allowSkip: false, allowDiagnostics: false },
  ],
  [
    'every choice changed',
    { ...NEW_POLICY, name: ' Contoso ', description: 'Sales laptops', accountType: 'administrator', timeout: '90', customErrorMessage: 'Call 555-0100.', allowSkip: true, allowDiagnostics: true, apps: [app], scripts: [script] },
    { name: 'Contoso', description: 'Sales laptops', accountType: 'administrator', timeoutMinutes: 90, customErrorMessage: 'Call 555-0100.', allowSkip: true, allowDiagnostics: true, apps: [app], scripts: [script] },
  ],
];

describe('device preparation policy in the admin center', () => {
  it.each(drafts)('sends the portal body of the server for %s', (_name, draft, choices) => {
    expect(policyBody(draft)).toEqual(userDrivenPolicyBody(choices));
  });

  it('reads a stored policy back into the same choices', () => {
    const [, draft] = drafts[1]!;
    const body = policyBody(draft) as { name: string; description: string; settings: { settingInstance: any }[] };
    expect(draftFromPolicy({ id: 'p', ...body }, ['g1'], 'g2')).toEqual({ ...draft, name: 'Contoso', userGroupIds: ['g1'], deviceGroupId: 'g2' });
  });

  it('uses the template id, limits and app types of the server', () => {
    expect(WEB_TEMPLATE_ID).toBe(USER_DRIVEN_TEMPLATE_ID);
    expect([MAX_APPS, MAX_SCRIPTS]).toEqual([MAX_ALLOWED_APPS, MAX_ALLOWED_SCRIPTS]);
    const timeout = DEVICE_PREPARATION_TEMPLATES[0]!.settings.find((s) => s.id === 'enrollment_autopilot_dpp_timeout')!;
    expect([TIMEOUT_MIN, TIMEOUT_MAX]).toEqual([timeout.min, timeout.max]);
    // Every type the wizard offers is one the server accepts (it also takes AppX, which has no add form here).
    for (const type of WEB_APP_TYPES) expect(ALLOWED_APP_TYPES).toContain(type);
  });

  it('checks each page as the portal does', () => {
    const ok: PolicyDraft = { ...NEW_POLICY, name: 'A', deviceGroupId: 'g' };
    expect(checkDraft(ok)).toEqual({});
    expect(checkDraft({ ...ok, name: '  ' })).toEqual({ name: 'Name is required.' });
    for (const timeout of ['14', '721', '60.5', 'abc', '']) expect(Object.keys(checkDraft({ ...ok, timeout }))).toEqual(['timeout']);
    for (const timeout of ['15', '720']) expect(checkDraft({ ...ok, timeout })).toEqual({});
    expect(checkDraft({ ...ok, customErrorMessage: 'x'.repeat(1001) })).toHaveProperty('customErrorMessage');
    expect(checkDraft({ ...ok, apps: Array.from({ length: 26 }, (_, i) => ({ ...app, id: String(i) })) })).toEqual({ apps: 'Select at most 25 apps.' });
    expect(checkDraft({ ...ok, scripts: Array.from({ length: 11 }, (_, i) => String(i)) })).toEqual({ scripts: 'Select at most 10 scripts.' });
    expect(checkDraft({ ...ok, deviceGroupId: null })).toEqual({ deviceGroupId: 'Select the device group.' });
  });
});

describe('corporate identifier CSV in the admin center', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('accepts and refuses the same rows as the server', () => {
    const text = [
      'Microsoft,Surface Laptop 6,0F0123456789',
      'Lenovo,ThinkPad T14',
      'Dell,Latitude 7450,DL.7450',
      ' microsoft , surface laptop 6 , 0f0123456789 ',
      'HP,,HP-1',
      '"Contoso, Ltd",Model 1,C-1',
      'Fabrikam,"Model 2",F-1',
      'HP,EliteBook 840,HP-2',
    ].join('\r\n');
    const web = parseCorporateCsv(bytes(text));
    const server = parseCorporateIdentifierCsv(bytes(text));
    expect(web.rows.filter((r) => !r.problem).map((r) => [r.line, r.identifier])).toEqual(server.rows.map((r) => [r.line, r.identifier]));
    expect(web.rows.filter((r) => r.problem).map((r) => r.line)).toEqual(server.problems.map((p) => p.line));
    expect(web.rows[1]!.problem).toBe('Has 2 values; each line is manufacturer,model,serial number.');
    expect(web.rows[3]!.problem).toBe('Repeats line 1.');
  });

  it('refuses a header, reads UTF-16 from PowerShell, and refuses an empty file', () => {
    expect(parseCorporateCsv(bytes('Manufacturer,Model,Serial Number\nA,B,C')).rows[0]!.problem).toBe('Looks like a header: the file must not have one.');
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from('A,B,C\r\n', 'utf16le'))]);
    expect(parseCorporateCsv(utf16).rows.map((r) => r.identifier)).toEqual(['A,B,C']);
    expect(parseCorporateCsv(bytes('\n\n')).fileProblem).toBe('The file is empty.');
  });
});
