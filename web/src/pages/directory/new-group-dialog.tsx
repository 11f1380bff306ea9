// "New group", as the tutorials walk through it: group type (Security), name and description, "Microsoft
// Entra roles can be assigned to the group" (No), membership type (Assigned, Dynamic User, Dynamic Device),
// owners (users or enterprise applications: the Intune Provisioning Client for a device preparation device
// group), members of an assigned group, or the rule of a dynamic one (checked as you type, with Validate
// rules). One POST /v1.0/groups with owners@odata.bind and members@odata.bind.
import { useState, type FormEvent } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Option,
  Radio,
  RadioGroup,
  Subtitle2,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { asApiError, graph, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { useOpenings, useTouched, validation } from './form';
import { ObjectSearch, type PickedObject } from './object-picker';
import { ObjectTags } from './object-tags';
import { groupMailNickname, lengthProblem, mailNicknameProblem, type ObjectKind } from './objects';
import { findProvisioningClient } from './provisioning-client';
import { useRuleCheck, type RuleSubject } from './rule-check';
import { RuleEditor } from './rule-editor';
import { ValidateRules } from './validate-rules';

const useStyles = makeStyles({
  surface: { width: '900px', maxWidth: 'calc(100vw - 48px)' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: tokens.spacingHorizontalM },
  links: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  domain: { color: tokens.colorNeutralForeground2, whiteSpace: 'nowrap' },
  problem: { color: tokens.colorPaletteRedForeground1 },
});

type GroupType = 'security' | 'microsoft365';
type MembershipType = 'assigned' | 'dynamicUser' | 'dynamicDevice';

const MEMBERSHIP_LABEL: Record<MembershipType, string> = { assigned: 'Assigned', dynamicUser: 'Dynamic User', dynamicDevice: 'Dynamic Device' };
const GROUP_TYPE_LABEL: Record<GroupType, string> = { security: 'Security', microsoft365: 'Microsoft 365' };
/** Graph takes at most 20 owners and members together when it creates a group. */
const MAX_BINDS = 20;
const OWNER_KINDS: readonly ObjectKind[] = ['user', 'servicePrincipal'];
const MEMBER_KINDS: readonly ObjectKind[] = ['user', 'group', 'device', 'servicePrincipal'];

export interface NewGroupDialogProps {
  readonly open: boolean;
  readonly domain: string;
  readonly onDismiss: () => void;
  readonly onCreated: (group: { id: string; displayName: string }) => void;
}

export function NewGroupDialog(props: NewGroupDialogProps) {
  const styles = useStyles();
  const openings = useOpenings(props.open);
  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onDismiss()} modalType="modal">
      <DialogSurface className={styles.surface} aria-label="New group">
        {props.open && <NewGroupForm key={openings} {...props} />}
      </DialogSurface>
    </Dialog>
  );
}

function randomSuffix(): string {
  return Math.floor(Math.random() * 0xfffff)
    .toString(16)
    .padStart(5, '0');
}

function NewGroupForm({ domain, onDismiss, onCreated }: NewGroupDialogProps) {
  const styles = useStyles();
  const [groupType, setGroupType] = useState<GroupType>('security');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [nickname, setNickname] = useState('');
  const [roleAssignable, setRoleAssignable] = useState(false);
  const [membership, setMembership] = useState<MembershipType>('assigned');
  const [owners, setOwners] = useState<PickedObject[]>([]);
  const [members, setMembers] = useState<PickedObject[]>([]);
  const [rule, setRule] = useState('');
  const [picking, setPicking] = useState<'owners' | 'members' | null>(null);
  const [validating, setValidating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [suffix] = useState(randomSuffix);
  const touched = useTouched();

  const dynamic = membership !== 'assigned';
  const subject: RuleSubject = membership === 'dynamicDevice' ? 'device' : 'user';
  const check = useRuleCheck(dynamic ? rule : '', dynamic ? subject : undefined);
  const unified = groupType === 'microsoft365';
  const binds = owners.length + (dynamic ? 0 : members.length);

  const problems = {
    name: name.trim() ? lengthProblem('The group name', name.trim(), 256) : 'Enter a group name.',
    description: lengthProblem('The description', description.trim(), 1024),
    nickname: unified ? mailNicknameProblem(nickname.trim()) : undefined,
    rule: !dynamic
      ? undefined
      : !rule.trim()
        ? 'Add a dynamic query: a dynamic group needs a membership rule.'
        : check.status === 'invalid'
          ? `The rule isn't valid: ${check.problem?.detail ?? ''}`
          : check.status === 'checking'
            ? 'The rule is being checked.'
            : undefined,
    binds: binds > MAX_BINDS ? `A group can be created with at most ${MAX_BINDS} owners and members together; add more once it exists.` : undefined,
  };
  const invalid = Object.values(problems).some(Boolean) || (dynamic && check.status !== 'valid');

  const addProvisioningClient = async () => {
    setError(undefined);
    try {
      const sp = await findProvisioningClient();
      setOwners((o) => (o.some((x) => x.id === sp.id) ? o : [...o, { ...sp, kind: 'servicePrincipal' }]));
    } catch (err) {
      setError(asApiError(err));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    touched.submit();
    if (invalid) return;
    setBusy(true);
    setError(undefined);
    const bind = (o: PickedObject) => `https://graph.microsoft.com/v1.0/directoryObjects/${o.id}`;
    try {
      const group = await graph<{ id: string; displayName: string }>('POST', '/v1.0/groups', {
        displayName: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        mailEnabled: unified,
        mailNickname: unified ? nickname.trim() : groupMailNickname(name.trim(), suffix),
        securityEnabled: !unified,
        groupTypes: [...(unified ? ['Unified'] : []), ...(dynamic ? ['DynamicMembership'] : [])],
        isAssignableToRole: roleAssignable,
        ...(dynamic ? { membershipRule: rule, membershipRuleProcessingState: 'On' } : {}),
        ...(owners.length > 0 ? { 'owners@odata.bind': owners.map(bind) } : {}),
        ...(!dynamic && members.length > 0 ? { 'members@odata.bind': members.map(bind) } : {}),
      });
      onCreated(group);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  const add = (list: 'owners' | 'members') => (picked: PickedObject[]) => {
    const set = list === 'owners' ? setOwners : setMembers;
    set((current) => [...current, ...picked.filter((p) => !current.some((c) => c.id === p.id))]);
    setPicking(null);
  };

  return (
    <>
      <form onSubmit={submit} noValidate>
        <DialogBody>
          <DialogTitle>New group</DialogTitle>
          <DialogContent className={styles.form}>
            <div className={styles.row}>
              <Field label="Group type" required>
                <Dropdown
                  value={GROUP_TYPE_LABEL[groupType]}
                  selectedOptions={[groupType]}
                  onOptionSelect={(_e, d) => {
                    const next = d.optionValue as GroupType;
                    setGroupType(next);
                    if (next === 'microsoft365') setRoleAssignable(false);
                  }}
                >
                  <Option value="security">Security</Option>
                  <Option value="microsoft365">Microsoft 365</Option>
                </Dropdown>
              </Field>
              <Field label="Membership type" required hint={roleAssignable ? 'Groups that roles can be assigned to have assigned membership.' : undefined}>
                <Dropdown value={MEMBERSHIP_LABEL[membership]} selectedOptions={[membership]} onOptionSelect={(_e, d) => setMembership(d.optionValue as MembershipType)}>
                  <Option value="assigned">Assigned</Option>
                  <Option value="dynamicUser" disabled={roleAssignable}>
                    Dynamic User
                  </Option>
                  <Option value="dynamicDevice" disabled={roleAssignable}>
                    Dynamic Device
                  </Option>
                </Dropdown>
              </Field>
            </div>
            <Field label="Group name" required {...validation(touched.show('name', problems.name))}>
              <Input value={name} onChange={(_e, d) => setName(d.value)} onBlur={() => touched.touch('name')} autoFocus />
            </Field>
            <Field label="Group description" {...validation(touched.show('description', problems.description))}>
              <Textarea value={description} onChange={(_e, d) => setDescription(d.value)} onBlur={() => touched.touch('description')} rows={2} resize="vertical" />
            </Field>
            {unified && (
              <Field label="Group email address" required {...validation(touched.show('nickname', problems.nickname))}>
                <Input value={nickname} onChange={(_e, d) => setNickname(d.value)} onBlur={() => touched.touch('nickname')} contentAfter={<span className={styles.domain}>@{domain}</span>} />
              </Field>
            )}
            {!unified && (
              <Field label="Microsoft Entra roles can be assigned to the group">
                <RadioGroup
                  layout="horizontal"
                  value={roleAssignable ? 'yes' : 'no'}
                  onChange={(_e, d) => {
                    const yes = d.value === 'yes';
                    setRoleAssignable(yes);
                    if (yes) setMembership('assigned');
                  }}
                >
                  <Radio value="yes" label="Yes" />
                  <Radio value="no" label="No" />
                </RadioGroup>
              </Field>
            )}

            <section className={styles.section} aria-label="Owners">
              <Subtitle2 as="h3">Owners</Subtitle2>
              <ObjectTags label="Owners" objects={owners} onRemove={(id) => setOwners((o) => o.filter((x) => x.id !== id))} empty="No owners selected." />
              {picking === 'owners' ? (
                <ObjectSearch title="Add owners" kinds={OWNER_KINDS} exclude={owners.map((o) => o.id)} onDismiss={() => setPicking(null)} onSelect={add('owners')} />
              ) : (
                <div className={styles.links}>
                  <Link as="button" type="button" onClick={() => setPicking('owners')}>
                    Add owners
                  </Link>
                  <Link as="button" type="button" onClick={addProvisioningClient}>
                    Add the Intune Provisioning Client
                  </Link>
                </div>
              )}
            </section>

            {!dynamic ? (
              <section className={styles.section} aria-label="Members">
                <Subtitle2 as="h3">Members</Subtitle2>
                <ObjectTags label="Members" objects={members} onRemove={(id) => setMembers((m) => m.filter((x) => x.id !== id))} empty="No members selected." />
                {picking === 'members' ? (
                  <ObjectSearch title="Add members" kinds={MEMBER_KINDS} exclude={members.map((o) => o.id)} onDismiss={() => setPicking(null)} onSelect={add('members')} />
                ) : (
                  <div className={styles.links}>
                    <Link as="button" type="button" onClick={() => setPicking('members')}>
                      Add members
                    </Link>
                  </div>
                )}
              </section>
            ) : (
              <section className={styles.section} aria-label={membership === 'dynamicDevice' ? 'Dynamic device members' : 'Dynamic user members'}>
                <Subtitle2 as="h3">{membership === 'dynamicDevice' ? 'Dynamic device members' : 'Dynamic user members'}</Subtitle2>
                <RuleEditor value={rule} onChange={setRule} check={check} required />
                {touched.show('rule', problems.rule) && (
                  <Text role="status" aria-label="Rule required" className={styles.problem}>
                    {problems.rule}
                  </Text>
                )}
                <div className={styles.links}>
                  <Link as="button" type="button" onClick={() => setValidating((v) => !v)} aria-expanded={validating}>
                    Validate rules
                  </Link>
                </div>
                {validating && <ValidateRules rule={rule} check={check} subject={subject} />}
              </section>
            )}
            {touched.show('binds', problems.binds) && (
              <MessageBar intent="error" role="alert">
                <MessageBarBody>{problems.binds}</MessageBarBody>
              </MessageBar>
            )}
            <ErrorBar error={error} title="Could not create the group" />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create'}
            </Button>
            <Button onClick={onDismiss} disabled={busy}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </form>
    </>
  );
}
