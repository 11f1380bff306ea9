// The `settings` of a Settings Catalog policy: checked against the policy's template (for the device
// preparation templates: the exact definition ids, instance/value template ids, value types, allowed choice
// values, limits and referenced apps and scripts), stored in their served form, numbered "0", "1"…
// Source: Graph beta deviceManagementConfigurationSetting and its settingInstance subtypes; graph-api.md §4.2.
import type { Scope } from '../server/context.js';
import { intuneBadRequest, textOf } from './errors.js';
import { checkStorable } from './value-checks.js';
import { readCompanion, writeCompanion, deleteCompanion } from './companion-rows.js';
import { DPP_SETTING, settingDefinition, type DevicePreparationTemplate, type DppSettingDefinition } from './device-preparation-templates.js';
import { checkAllowedApps, checkAllowedScripts } from './device-preparation-allowed-items.js';
import { isGuid } from '../core/ids.js';

export const SETTING_TYPE = '#microsoft.graph.deviceManagementConfigurationSetting';
const NS = '#microsoft.graph.deviceManagementConfiguration';
const CHOICE_INSTANCE = `${NS}ChoiceSettingInstance`;
const SIMPLE_INSTANCE = `${NS}SimpleSettingInstance`;
const COLLECTION_INSTANCE = `${NS}SimpleSettingCollectionInstance`;
const CHOICE_VALUE = `${NS}ChoiceSettingValue`;
const INTEGER_VALUE = `${NS}IntegerSettingValue`;
const STRING_VALUE = `${NS}StringSettingValue`;

/** Where a policy's settings are kept (one row per policy, see companion-rows.ts). */
export const POLICY_SETTINGS = 'configurationPolicySettings';
/** The most settings one policy may hold (Tarmac's bound; Intune documents none). */
const MAX_SETTINGS = 1000;

export type StoredSetting = {
  readonly '@odata.type': typeof SETTING_TYPE;
  readonly id: string;
  readonly settingInstance: Record<string, unknown>;
};

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
/** `#microsoft.graph.x` and `microsoft.graph.x` name the same type; names compare without regard to case. */
const sameType = (given: unknown, expected: string) => typeof given === 'string' && `#${given.replace(/^#/, '')}`.toLowerCase() === expected.toLowerCase();
const shortType = (t: string) => t.replace('#microsoft.graph.', '');

export async function loadSettings(scope: Scope, policyId: string): Promise<StoredSetting[]> {
  return (await readCompanion<{ settings: StoredSetting[] }>(scope, POLICY_SETTINGS, policyId))?.settings ?? [];
}

export async function saveSettings(scope: Scope, policyId: string, settings: readonly StoredSetting[]): Promise<void> {
  await writeCompanion(scope, POLICY_SETTINGS, policyId, SETTING_TYPE, { settings });
}

export const deleteSettings = (scope: Scope, policyId: string) => deleteCompanion(scope, POLICY_SETTINGS, policyId);

/** The value of a simple string setting in stored settings, if present. */
export function stringSettingValue(settings: readonly StoredSetting[], definitionId: string): string | undefined {
  const instance = settings.find((s) => s.settingInstance.settingDefinitionId === definitionId)?.settingInstance;
  const value = (instance?.simpleSettingValue as Json | undefined)?.value;
  return typeof value === 'string' ? value : undefined;
}

/** Returns settings with the device group setting (when present) showing `groupId` ("" for none). */
export function withDeviceGroupValue(settings: readonly StoredSetting[], groupId: string | null): StoredSetting[] {
  return settings.map((s) => {
    if (s.settingInstance.settingDefinitionId !== DPP_SETTING.deviceSecurityGroupIds) return s;
    const value = s.settingInstance.simpleSettingValue as Json;
    return { ...s, settingInstance: { ...s.settingInstance, simpleSettingValue: { ...value, value: groupId ?? '' } } };
  });
}

/**
 * Checks a request's `settings` and returns them in stored form. With a device preparation template every
 * rule of the template applies; other Settings Catalog policies get structural checks only (Tarmac does not
 * carry the rest of the catalog). Errors name the setting definition in `target`.
 */
export async function checkSettings(scope: Scope, template: DevicePreparationTemplate | undefined, raw: unknown): Promise<StoredSetting[]> {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw intuneBadRequest("'settings' must be an array of deviceManagementConfigurationSetting objects.", 'settings');
  if (raw.length > MAX_SETTINGS) throw intuneBadRequest(`A policy holds at most ${MAX_SETTINGS} settings.`, 'settings');
  checkStorable(raw, 'settings');
  const out: StoredSetting[] = [];
  const seen = new Set<string>();
  for (const [i, item] of raw.entries()) {
    const instance = settingInstanceOf(item, i);
    const definitionId = instance.settingDefinitionId as string;
    if (seen.has(definitionId.toLowerCase())) throw intuneBadRequest(`Setting '${definitionId}' appears more than once in the policy.`, definitionId);
    seen.add(definitionId.toLowerCase());
    let stored: Json;
    if (template) {
      const definition = settingDefinition(template, definitionId);
      if (!definition) {
        const known = template.settings.map((s) => s.id).join(', ');
        throw intuneBadRequest(`'${definitionId}' is not a setting of template ${template.templateId}; its settings are ${known}.`, definitionId);
      }
      stored = await checkTemplateSetting(scope, definition, instance);
    } else {
      stored = instance;
    }
    out.push({ '@odata.type': SETTING_TYPE, id: String(i), settingInstance: stored });
  }
  return out;
}

/** The outer deviceManagementConfigurationSetting: @odata.type optional (CIPP omits it), id and settingDefinitions ignored. */
function settingInstanceOf(item: unknown, i: number): Json {
  const at = `settings[${i}]`;
  if (!isObject(item)) throw intuneBadRequest(`${at} must be a deviceManagementConfigurationSetting object.`, at);
  for (const key of Object.keys(item)) {
    if (!['@odata.type', 'id', 'settingInstance', 'settingDefinitions'].includes(key)) {
      throw intuneBadRequest(`Property '${key}' is not part of deviceManagementConfigurationSetting.`, `${at}.${key}`);
    }
  }
  if (item['@odata.type'] !== undefined && !sameType(item['@odata.type'], SETTING_TYPE)) {
    throw intuneBadRequest(`${at} must be a ${SETTING_TYPE}, not '${textOf(item['@odata.type'])}'.`, `${at}.@odata.type`);
  }
  const instance = item.settingInstance;
  if (!isObject(instance)) throw intuneBadRequest(`${at} needs a 'settingInstance' object.`, `${at}.settingInstance`);
  if (typeof instance.settingDefinitionId !== 'string' || instance.settingDefinitionId === '') {
    throw intuneBadRequest(`${at}.settingInstance needs a 'settingDefinitionId'.`, `${at}.settingInstance.settingDefinitionId`);
  }
  if (typeof instance['@odata.type'] !== 'string') {
    throw intuneBadRequest(`Setting '${instance.settingDefinitionId}' needs the '@odata.type' of its setting instance.`, instance.settingDefinitionId);
  }
  return { ...instance, '@odata.type': `#${instance['@odata.type'].replace(/^#/, '')}` };
}

const INSTANCE_TYPE: Readonly<Record<DppSettingDefinition['kind'], string>> = {
  choice: CHOICE_INSTANCE,
  integer: SIMPLE_INSTANCE,
  string: SIMPLE_INSTANCE,
  stringCollection: COLLECTION_INSTANCE,
};
const VALUE_KEY: Readonly<Record<DppSettingDefinition['kind'], string>> = {
  choice: 'choiceSettingValue',
  integer: 'simpleSettingValue',
  string: 'simpleSettingValue',
  stringCollection: 'simpleSettingCollectionValue',
};

/** One setting of a device preparation template, checked and normalised (template references filled in). */
async function checkTemplateSetting(scope: Scope, def: DppSettingDefinition, instance: Json): Promise<Json> {
  const bad = (message: string) => intuneBadRequest(`Setting '${def.id}': ${message}`, def.id);
  const instanceType = INSTANCE_TYPE[def.kind];
  if (!sameType(instance['@odata.type'], instanceType)) throw bad(`the setting instance must be a ${instanceType}, not '${textOf(instance['@odata.type'])}'.`);
  const valueKey = VALUE_KEY[def.kind];
  for (const key of Object.keys(instance)) {
    if (!['@odata.type', 'settingDefinitionId', 'settingInstanceTemplateReference', valueKey, 'auditRuleInformation'].includes(key)) {
      throw bad(`property '${key}' is not part of ${shortType(instanceType)}.`);
    }
  }
  const instanceRef = instance.settingInstanceTemplateReference;
  if (instanceRef !== undefined && instanceRef !== null) {
    if (!isObject(instanceRef) || typeof instanceRef.settingInstanceTemplateId !== 'string' || instanceRef.settingInstanceTemplateId.toLowerCase() !== def.instanceTemplateId) {
      throw bad(`settingInstanceTemplateReference.settingInstanceTemplateId must be '${def.instanceTemplateId}'.`);
    }
  }
  const base = {
    '@odata.type': instanceType,
    settingDefinitionId: def.id,
    settingInstanceTemplateReference: { settingInstanceTemplateId: def.instanceTemplateId },
  };
  const value = instance[valueKey];
  switch (def.kind) {
    case 'choice':
      return { ...base, choiceSettingValue: checkChoiceValue(def, value, bad) };
    case 'integer':
    case 'string':
      return { ...base, simpleSettingValue: checkSimpleValue(def, value, bad) };
    case 'stringCollection': {
      const values = checkCollectionValues(def, value, bad);
      if (def.id === DPP_SETTING.allowedAppIds) await checkAllowedApps(scope, def.id, values);
      if (def.id === DPP_SETTING.allowedScriptIds) await checkAllowedScripts(scope, def.id, values);
      return { ...base, simpleSettingCollectionValue: values.map((v) => ({ '@odata.type': STRING_VALUE, settingValueTemplateReference: null, value: v })) };
    }
  }
}

/** A value's settingValueTemplateReference: absent is filled in, a wrong id refused. */
function valueTemplateReference(def: DppSettingDefinition, value: Json, bad: (m: string) => Error) {
  const ref = value.settingValueTemplateReference;
  let useTemplateDefault = false;
  if (ref !== undefined && ref !== null) {
    if (!isObject(ref) || typeof ref.settingValueTemplateId !== 'string' || ref.settingValueTemplateId.toLowerCase() !== def.valueTemplateId) {
      throw bad(`settingValueTemplateReference.settingValueTemplateId must be '${def.valueTemplateId}'.`);
    }
    if (ref.useTemplateDefault !== undefined && typeof ref.useTemplateDefault !== 'boolean') throw bad('settingValueTemplateReference.useTemplateDefault must be true or false.');
    useTemplateDefault = ref.useTemplateDefault === true;
  }
  return { settingValueTemplateId: def.valueTemplateId, useTemplateDefault };
}

function checkValueKeys(value: Json, allowed: readonly string[], typeName: string, bad: (m: string) => Error) {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw bad(`property '${key}' is not part of ${shortType(typeName)}.`);
}

function checkChoiceValue(def: DppSettingDefinition, value: unknown, bad: (m: string) => Error): Json {
  if (!isObject(value)) throw bad("the instance needs a 'choiceSettingValue' object.");
  if (value['@odata.type'] !== undefined && !sameType(value['@odata.type'], CHOICE_VALUE)) throw bad(`choiceSettingValue must be a ${CHOICE_VALUE}.`);
  checkValueKeys(value, ['@odata.type', 'value', 'children', 'settingValueTemplateReference'], CHOICE_VALUE, bad);
  const chosen = value.value;
  const options = def.options ?? [];
  if (typeof chosen !== 'string' || !options.includes(chosen)) {
    const why = typeof chosen === 'string' ? def.refusedOptions?.[chosen] : undefined;
    throw bad(why ?? `'${textOf(chosen)}' is not an allowed value; use ${options.map((o) => `'${o}'`).join(' or ')}.`);
  }
  if (value.children !== undefined && value.children !== null && !(Array.isArray(value.children) && value.children.length === 0)) {
    throw bad('this choice has no child settings; send "children": [].');
  }
  return { '@odata.type': CHOICE_VALUE, children: [], settingValueTemplateReference: valueTemplateReference(def, value, bad), value: chosen };
}

function checkSimpleValue(def: DppSettingDefinition, value: unknown, bad: (m: string) => Error): Json {
  if (!isObject(value)) throw bad("the instance needs a 'simpleSettingValue' object.");
  const typeName = def.kind === 'integer' ? INTEGER_VALUE : STRING_VALUE;
  if (!sameType(value['@odata.type'], typeName)) throw bad(`simpleSettingValue must be a ${typeName}, not '${textOf(value['@odata.type'] ?? 'untyped')}'.`);
  checkValueKeys(value, ['@odata.type', 'value', 'settingValueTemplateReference'], typeName, bad);
  const v = value.value;
  if (def.kind === 'integer') {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(`the value must be a whole number of minutes, not ${JSON.stringify(v)}.`);
    if (v < def.min! || v > def.max!) throw bad(`the value must be from ${def.min} to ${def.max}, not ${v}.`);
  } else {
    if (typeof v !== 'string') throw bad(`the value must be a string, not ${JSON.stringify(v)}.`);
    if (v.length > def.maxLength!) throw bad(`the value is longer than ${def.maxLength} characters.`);
    if (def.id === DPP_SETTING.deviceSecurityGroupIds && v !== '' && !isGuid(v)) throw bad(`the value must be the id of a group or "", not '${v}'.`);
  }
  return { '@odata.type': typeName, settingValueTemplateReference: valueTemplateReference(def, value, bad), value: v };
}

function checkCollectionValues(def: DppSettingDefinition, value: unknown, bad: (m: string) => Error): string[] {
  if (!Array.isArray(value)) throw bad("the instance needs a 'simpleSettingCollectionValue' array.");
  const values: string[] = [];
  for (const [i, item] of value.entries()) {
    if (!isObject(item)) throw bad(`entry ${i} must be a ${STRING_VALUE} object.`);
    if (item['@odata.type'] !== undefined && !sameType(item['@odata.type'], STRING_VALUE)) throw bad(`entry ${i} must be a ${STRING_VALUE}.`);
    checkValueKeys(item, ['@odata.type', 'value', 'settingValueTemplateReference'], STRING_VALUE, bad);
    if (item.settingValueTemplateReference !== undefined && item.settingValueTemplateReference !== null) throw bad(`entry ${i} carries no settingValueTemplateReference (send null).`);
    if (typeof item.value !== 'string') throw bad(`entry ${i} must hold a string value.`);
    values.push(item.value);
  }
  const counted = values.filter((v) => v.trim() !== '').length;
  if (counted > def.maxCount!) throw bad(`at most ${def.maxCount} entries are allowed, not ${counted}.`);
  return values;
}
