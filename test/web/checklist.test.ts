// The admin center's setup checklist rules (web/src/checklist.ts) against the server's own catalogue: every
// pre-flight finding belongs to exactly one step, the ids the checklist reads are the server's, and the
// status of a step follows its configuration and its findings.
import { describe, expect, it } from 'vitest';
import { FINDINGS } from '../../src/provisioning/preflight-findings.js';
import { DPP_SETTING, USER_DRIVEN_TEMPLATE_ID } from '../../src/intune/device-preparation-templates.js';
import {
  DPP_APPS_SETTING,
  DPP_DEVICE_GROUP_SETTING,
  DPP_SCRIPTS_SETTING,
  STEPS,
  USER_DRIVEN_TEMPLATE_ID as WEB_TEMPLATE_ID,
  checklist,
  type Finding,
  type TenantReads,
} from '../../web/src/checklist.js';

const empty: TenantReads = {
  mdmAppliesTo: 'none',
  allowedToJoinType: '#microsoft.graph.noDeviceRegistrationMembership',
  configurationPolicies: [],
  corporateIdentifiers: 0,
  dynamicGroups: [],
  enrollmentConfigurations: [],
  deploymentProfiles: [],
  autopilotDevices: 0,
  groupNames: {},
};

const finding = (id: string, severity: Finding['severity'] = FINDINGS[id as keyof typeof FINDINGS]?.severity ?? 'error'): Finding => ({
  id,
  severity,
  object: { type: 'group', id: 'g1', displayName: 'Devices' },
  message: `${id} message`,
  fix: `${id} fix`,
  source: 'https://learn.microsoft.com/autopilot',
});

const statusOf = (reads: TenantReads, findings: Finding[] = []) => Object.fromEntries(checklist(reads, findings).steps.map((s) => [s.step.id, s.status]));

describe('setup checklist', () => {
  it('gives every pre-flight finding of the catalogue to exactly one step, and knows no other', () => {
    const claimed = STEPS.flatMap((s) => s.findings);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect([...claimed].sort()).toEqual(Object.keys(FINDINGS).sort());
  });

  it('reads the template and setting ids the server uses', () => {
    expect(WEB_TEMPLATE_ID).toBe(USER_DRIVEN_TEMPLATE_ID);
    expect([DPP_DEVICE_GROUP_SETTING, DPP_APPS_SETTING, DPP_SCRIPTS_SETTING]).toEqual([DPP_SETTING.deviceSecurityGroupIds, DPP_SETTING.allowedAppIds, DPP_SETTING.allowedScriptIds]);
  });

  it('has the seven device preparation steps and the five classic ones, each linking to a screen', () => {
    expect(STEPS.filter((s) => s.tutorial === 'devicePreparation').map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(STEPS.filter((s) => s.tutorial === 'classic').map((s) => s.number)).toEqual([1, 2, 3, 4, 5]);
    for (const s of STEPS) expect(s.route).toMatch(/^\/[a-z-/]+$/);
  });

  it('marks a step done when its configuration is there, not started otherwise', () => {
    expect(new Set(Object.values(statusOf(empty)))).toEqual(new Set(['notStarted']));
    const some = statusOf({ ...empty, mdmAppliesTo: 'some', allowedToJoinType: '#microsoft.graph.enumeratedDeviceRegistrationMembership', corporateIdentifiers: 3, autopilotDevices: 1 });
    expect(some).toMatchObject({ dp1: 'done', dp2: 'done', dp3: 'notStarted', dp7: 'done', ap5: 'done' });

    const policy = {
      id: 'p1',
      name: 'User driven',
      templateReference: { templateId: USER_DRIVEN_TEMPLATE_ID },
      settings: [
        { settingInstance: { settingDefinitionId: DPP_SETTING.deviceSecurityGroupIds, simpleSettingValue: { value: 'dg' } } },
        { settingInstance: { settingDefinitionId: DPP_SETTING.allowedAppIds, simpleSettingCollectionValue: [{ value: '{"id":"a1"}' }] } },
        { settingInstance: { settingDefinitionId: DPP_SETTING.allowedScriptIds, simpleSettingCollectionValue: [] } },
      ],
      assignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'ug' } }],
    };
    const configured = checklist({ ...empty, configurationPolicies: [policy], groupNames: { dg: 'DPP devices', ug: 'DPP users' } }, []).steps;
    const byId = Object.fromEntries(configured.map((s) => [s.step.id, s]));
    expect([byId.dp3!.status, byId.dp4!.status, byId.dp5!.status, byId.dp6!.status]).toEqual(['done', 'done', 'done', 'done']);
    expect(byId.dp3!.detail).toContain("'DPP devices'");
    expect(byId.dp4!.detail).toContain("'DPP users'");
    expect(byId.dp5!.detail).toContain('1 app and 0 scripts');
    // A policy of another template (automatic, Windows 365) is not the tutorial's.
    const automatic = { ...policy, templateReference: { templateId: 'a6157a7f-aa00-42d9-ac82-7d2479f545db_1' } };
    expect(statusOf({ ...empty, configurationPolicies: [automatic] })).toMatchObject({ dp3: 'notStarted', dp6: 'notStarted' });
    // Only the default page, showing progress, counts for the Enrollment Status Page.
    const defaultPage = { '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration', id: 't_DefaultWindows10EnrollmentCompletionPageConfiguration', priority: 0 };
    expect(statusOf({ ...empty, enrollmentConfigurations: [defaultPage] }).ap2).toBe('notStarted');
    expect(statusOf({ ...empty, enrollmentConfigurations: [{ ...defaultPage, showInstallationProgress: true }] }).ap2).toBe('done');
  });

  it('needs attention on an error or warning of the step, whatever is configured; information does not change it', () => {
    const reads = { ...empty, mdmAppliesTo: 'all' };
    expect(statusOf(reads, [finding('dpUsersOutsideMdmScope')]).dp1).toBe('attention');
    expect(statusOf(reads, [finding('dpDeviceGroupShared', 'info')]).dp3).toBe('notStarted');
    expect(statusOf(reads, [finding('dpUserDeviceQuotaReached', 'warning')]).dp2).toBe('attention');
    const result = checklist(reads, [finding('dpDeviceGroupNotOwned'), finding('somethingNew')]);
    expect(result.steps.find((s) => s.step.id === 'dp3')!.findings.map((f) => f.id)).toEqual(['dpDeviceGroupNotOwned']);
    expect(result.other.map((f) => f.id)).toEqual(['somethingNew']);
  });
});
