// The assignment filter form: name, description, platform (Windows 10 and later), and the rule, checked as
// you type and, on demand, by Graph's validateFilter.
import { useEffect, useState } from 'react';
import { Button, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Textarea } from '@fluentui/react-components';
import { asApiError, graph, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { FILTER_TYPE } from './labels';
import { RuleEditor, useRuleCheck } from './rule-editor';
import { FormDrawer, Section, useUiStyles } from './ui';

export const FILTERS = '/beta/deviceManagement/assignmentFilters';

export interface AssignmentFilter {
  readonly id: string;
  readonly displayName: string;
  readonly description?: string;
  readonly platform: string;
  readonly rule: string;
  readonly assignmentFilterManagementType?: string;
  readonly createdDateTime?: string;
  readonly lastModifiedDateTime?: string;
}

export const PLATFORMS: Readonly<Record<string, string>> = {
  windows10AndLater: 'Windows 10 and later',
  android: 'Android device administrator',
  androidForWork: 'Android Enterprise',
  iOS: 'iOS/iPadOS',
  macOS: 'macOS',
};

export const platformLabel = (p: string) => PLATFORMS[p] ?? p;

const RULE_HINT = 'Device properties such as device.manufacturer, device.model, device.osVersion, device.deviceOwnership, device.enrollmentProfileName, with -eq, -ne, -startsWith, -contains, -in, joined with and / or.';

export function FilterForm({ open, filter, onClose, onSaved }: { open: boolean; filter?: AssignmentFilter; onClose: () => void; onSaved: () => void }) {
  const ui = useUiStyles();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [rule, setRule] = useState('');
  const [touched, setTouched] = useState(false);
  const [validation, setValidation] = useState<{ rule: string; valid: boolean }>();
  const [validating, setValidating] = useState(false);
  const [validateError, setValidateError] = useState<ApiError>();
  useEffect(() => {
    if (!open) return;
    setName(filter?.displayName ?? '');
    setDescription(filter?.description ?? '');
    setRule(filter?.rule ?? '');
    setTouched(false);
    setValidation(undefined);
    setValidateError(undefined);
  }, [open]);

  const platform = filter?.platform ?? 'windows10AndLater';
  const checked = useRuleCheck(rule);
  const ruleBroken = checked.check !== undefined && !checked.check.valid;
  const nameProblem = name.trim() === '' ? 'Enter a name.' : name.length > 200 ? 'The name can have at most 200 characters.' : undefined;

  const validate = async () => {
    setValidating(true);
    setValidateError(undefined);
    try {
      const result = await graph<{ isValidRule: boolean }>('POST', `${FILTERS}/validateFilter`, { deviceAndAppManagementAssignmentFilter: { '@odata.type': FILTER_TYPE, platform, rule } });
      setValidation({ rule, valid: result.isValidRule });
    } catch (err) {
      setValidateError(asApiError(err));
    } finally {
      setValidating(false);
    }
  };

  const save = async () => {
    const body = { '@odata.type': FILTER_TYPE, displayName: name.trim(), description, rule, ...(filter ? {} : { platform, assignmentFilterManagementType: 'devices', roleScopeTags: ['0'] }) };
    if (filter) await graph('PATCH', `${FILTERS}/${encodeURIComponent(filter.id)}`, body);
    else await graph('POST', FILTERS, body);
    onSaved();
  };

  return (
    <FormDrawer open={open} title={filter ? `Edit ${filter.displayName}` : 'Create filter'} size="large" onClose={onClose} onSave={save} saveLabel={filter ? 'Save' : 'Create'} canSave={!nameProblem && rule.trim() !== '' && !ruleBroken}>
      <Section title="Basics">
        <Field label="Filter name" required validationMessage={touched ? nameProblem : undefined}>
          <Input value={name} onChange={(_, d) => setName(d.value)} onBlur={() => setTouched(true)} />
        </Field>
        <Field label="Description">
          <Textarea value={description} onChange={(_, d) => setDescription(d.value)} resize="vertical" />
        </Field>
        <Field label="Platform" hint={filter ? 'The platform of a filter cannot change.' : undefined}>
          <Dropdown value={platformLabel(platform)} selectedOptions={[platform]} disabled>
            <Option value="windows10AndLater">Windows 10 and later</Option>
          </Dropdown>
        </Field>
      </Section>
      <Section title="Rules">
        <RuleEditor label="Rule syntax" value={rule} onChange={setRule} checked={checked} hint={RULE_HINT} />
        <div className={ui.toolbar}>
          <Button onClick={validate} disabled={validating || rule.trim() === ''}>
            Validate with Graph
          </Button>
        </div>
        <ErrorBar error={validateError} title="validateFilter failed" />
        {validation && validation.rule === rule && (
          <MessageBar intent={validation.valid ? 'success' : 'error'} role="status">
            <MessageBarBody>{validation.valid ? 'Graph validateFilter: the rule is valid.' : 'Graph validateFilter: the rule is not valid.'}</MessageBarBody>
          </MessageBar>
        )}
      </Section>
    </FormDrawer>
  );
}
