// A group's page (`#/groups?id=…`): its properties; members (added and removed through $ref for an
// assigned group, read-only for a dynamic one, whose rule decides); owners (added and removed, with the Intune
// Provisioning Client one click away); and for a dynamic group its rule: the editor, processing On or Paused,
// Save (PATCH /v1.0/groups/{id}), and Validate rules.
import { useState } from 'react';
import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Link,
  MessageBar,
  MessageBarBody,
  Option,
  Radio,
  RadioGroup,
  Subtitle2,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { ArrowLeftRegular } from '@fluentui/react-icons/svg/arrow-left';
import { DeleteRegular } from '@fluentui/react-icons/svg/delete';
import { SaveRegular } from '@fluentui/react-icons/svg/save';
import { asApiError, graph, useLoad, type ApiError, type GraphList } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { Loading } from '../../components/loading';
import { Page } from '../../components/page';
import { href, navigate } from '../../router';
import { ObjectPicker, type PickedObject } from './object-picker';
import {
  KIND_LABEL,
  PROVISIONING_CLIENT_APP_ID,
  detailOf,
  groupTypeLabel,
  isDynamicGroup,
  kindOf,
  membershipTypeLabel,
  nameOf,
  refBody,
  ruleSubject,
  type DirectoryObject,
  type GroupFacts,
  type ObjectKind,
} from './objects';
import { findProvisioningClient } from './provisioning-client';
import { useRuleCheck, type RuleSubject } from './rule-check';
import { RuleEditor } from './rule-editor';
import { ValidateRules } from './validate-rules';

const useStyles = makeStyles({
  back: { alignSelf: 'flex-start' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr max-content 1fr', columnGap: tokens.spacingHorizontalXXL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, paddingTop: tokens.spacingVerticalM },
  bar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  detail: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  row: { display: 'flex', gap: tokens.spacingHorizontalXXL, flexWrap: 'wrap' },
});

interface Group extends GroupFacts {
  readonly id: string;
  readonly displayName: string;
  readonly description?: string | null;
  readonly mailNickname?: string | null;
  readonly isAssignableToRole?: boolean | null;
  readonly createdDateTime?: string | null;
  readonly membershipRuleProcessingState?: 'On' | 'Paused' | null;
  readonly membershipRuleProcessingStatus?: { readonly status?: string; readonly lastMembershipUpdated?: string | null; readonly errorMessage?: string | null } | null;
}

const GROUP_SELECT =
  'id,displayName,description,mailNickname,groupTypes,securityEnabled,mailEnabled,isAssignableToRole,createdDateTime,membershipRule,membershipRuleProcessingState,membershipRuleProcessingStatus';
const OBJECT_SELECT = 'id,displayName,userPrincipalName,appId,deviceId,operatingSystem,description';
const LIST_TOP = 100;

type TabValue = 'members' | 'owners' | 'rules';

export function GroupDetails({ groupId }: { readonly groupId: string }) {
  const styles = useStyles();
  // beta: the dynamic membership processing status is beta only.
  const group = useLoad((signal) => graph<Group>('GET', `/beta/groups/${encodeURIComponent(groupId)}?$select=${GROUP_SELECT}`, undefined, { signal }), [groupId]);
  const [tab, setTab] = useState<TabValue>('members');
  const [deleting, setDeleting] = useState(false);
  const [membersVersion, setMembersVersion] = useState(0);
  const g = group.data;
  const dynamic = g ? isDynamicGroup(g) : false;

  return (
    <Page
      title={g?.displayName ?? 'Group'}
      description={g ? `${groupTypeLabel(g)} group · ${membershipTypeLabel(g)} membership${g.description ? ` · ${g.description}` : ''}` : undefined}
      actions={
        g && (
          <Button icon={<DeleteRegular />} onClick={() => setDeleting(true)}>
            Delete
          </Button>
        )
      }
    >
      <Link className={styles.back} href={href('/groups')}>
        <ArrowLeftRegular style={{ verticalAlign: 'middle', marginRight: 4 }} />
        All groups
      </Link>
      <ErrorBar error={group.error} title="Could not read the group" />
      {group.loading && !g && <Loading />}
      {g && (
        <>
          <dl className={styles.facts} aria-label="Properties">
            <Fact term="Group type" value={groupTypeLabel(g)} />
            <Fact term="Membership type" value={membershipTypeLabel(g)} />
            <Fact term="Object ID" value={g.id} />
            <Fact term="Mail nickname" value={g.mailNickname} />
            <Fact term="Microsoft Entra roles can be assigned" value={g.isAssignableToRole ? 'Yes' : 'No'} />
            <Fact term="Created" value={g.createdDateTime ? new Date(g.createdDateTime).toLocaleString() : undefined} />
            {dynamic && <Fact term="Dynamic membership processing" value={g.membershipRuleProcessingState === 'Paused' ? 'Paused' : 'On'} />}
            {dynamic && <Fact term="Processing status" value={processingStatus(g)} />}
          </dl>
          <TabList selectedValue={tab} onTabSelect={(_e, d) => setTab(d.value as TabValue)} aria-label="Group">
            <Tab value="members">Members</Tab>
            <Tab value="owners">Owners</Tab>
            {dynamic && <Tab value="rules">Dynamic membership rules</Tab>}
          </TabList>
          {tab === 'members' && <MembersPanel key={membersVersion} group={g} />}
          {tab === 'owners' && <OwnersPanel group={g} />}
          {tab === 'rules' && dynamic && (
            <RulesPanel
              group={g}
              onSaved={() => {
                group.reload();
                setMembersVersion((v) => v + 1);
              }}
            />
          )}
          <DeleteGroupDialog open={deleting} group={g} onDismiss={() => setDeleting(false)} />
        </>
      )}
    </Page>
  );
}

function processingStatus(g: Group): string {
  const s = g.membershipRuleProcessingStatus;
  if (!s?.status) return '—';
  const when = s.lastMembershipUpdated ? `, members last updated ${new Date(s.lastMembershipUpdated).toLocaleString()}` : '';
  return `${s.status}${when}${s.errorMessage ? `: ${s.errorMessage}` : ''}`;
}

function Fact({ term, value }: { readonly term: string; readonly value: string | null | undefined }) {
  const styles = useStyles();
  return (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={styles.value}>{value || '—'}</dd>
    </>
  );
}

// ---- Members and owners -------------------------------------------------------------------------------

interface RelationProps {
  readonly group: Group;
}

/** Adds each picked object through `POST …/{relation}/$ref`, stopping at Graph's first refusal. */
async function addRefs(groupId: string, relation: 'members' | 'owners', objects: readonly DirectoryObject[]): Promise<void> {
  for (const o of objects) await graph('POST', `/v1.0/groups/${groupId}/${relation}/$ref`, refBody(o.id));
}

function useRelation(groupId: string, relation: 'members' | 'owners') {
  return useLoad(
    (signal) => graph<GraphList<DirectoryObject>>('GET', `/v1.0/groups/${encodeURIComponent(groupId)}/${relation}?$select=${OBJECT_SELECT}&$top=${LIST_TOP}`, undefined, { signal }),
    [groupId, relation],
  );
}

function MembersPanel({ group }: RelationProps) {
  const styles = useStyles();
  const members = useRelation(group.id, 'members');
  const dynamic = isDynamicGroup(group);
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
    members.reload();
  };

  return (
    <section className={styles.panel} aria-label="Members">
      {dynamic ? (
        <MessageBar intent="info">
          <MessageBarBody>The members of a dynamic group follow its rule: they can't be added or removed by hand. Change the rule on the Dynamic membership rules tab.</MessageBarBody>
        </MessageBar>
      ) : (
        <div className={styles.bar}>
          <Button icon={<AddRegular />} onClick={() => setPicking(true)} disabled={busy}>
            Add members
          </Button>
        </div>
      )}
      <ErrorBar error={error} title="Could not change the members" />
      <ObjectTable
        label="Members"
        resource={members}
        empty={dynamic ? 'No user or device matches the rule.' : 'This group has no members.'}
        onRemove={dynamic ? undefined : (o) => run(() => graph('DELETE', `/v1.0/groups/${group.id}/members/${o.id}/$ref`))}
        busy={busy}
      />
      <ObjectPicker
        open={picking}
        title="Add members"
        kinds={['user', 'group', 'device', 'servicePrincipal']}
        exclude={members.data?.value.map((m) => m.id) ?? []}
        omit={[group.id]}
        onDismiss={() => setPicking(false)}
        onSelect={(picked: PickedObject[]) => {
          setPicking(false);
          void run(() => addRefs(group.id, 'members', picked));
        }}
      />
    </section>
  );
}

function OwnersPanel({ group }: RelationProps) {
  const styles = useStyles();
  const owners = useRelation(group.id, 'owners');
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const hasProvisioningClient = owners.data?.value.some((o) => o.appId === PROVISIONING_CLIENT_APP_ID) ?? true;

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
    owners.reload();
  };

  return (
    <section className={styles.panel} aria-label="Owners">
      <div className={styles.bar}>
        <Button icon={<AddRegular />} onClick={() => setPicking(true)} disabled={busy}>
          Add owners
        </Button>
        {!hasProvisioningClient && (
          <Button appearance="subtle" disabled={busy} onClick={() => run(async () => addRefs(group.id, 'owners', [await findProvisioningClient()]))}>
            Add the Intune Provisioning Client
          </Button>
        )}
      </div>
      <ErrorBar error={error} title="Could not change the owners" />
      <ObjectTable label="Owners" resource={owners} empty="This group has no owners." onRemove={(o) => run(() => graph('DELETE', `/v1.0/groups/${group.id}/owners/${o.id}/$ref`))} busy={busy} />
      <ObjectPicker
        open={picking}
        title="Add owners"
        kinds={['user', 'servicePrincipal']}
        exclude={owners.data?.value.map((m) => m.id) ?? []}
        onDismiss={() => setPicking(false)}
        onSelect={(picked: PickedObject[]) => {
          setPicking(false);
          void run(() => addRefs(group.id, 'owners', picked));
        }}
      />
    </section>
  );
}

interface ObjectTableProps {
  readonly label: string;
  readonly resource: { readonly data?: GraphList<DirectoryObject>; readonly error?: ApiError; readonly loading: boolean };
  readonly empty: string;
  readonly onRemove?: (o: DirectoryObject) => void;
  readonly busy: boolean;
}

function ObjectTable({ label, resource, empty, onRemove, busy }: ObjectTableProps) {
  const styles = useStyles();
  if (resource.error) return <ErrorBar error={resource.error} title={`Could not read the ${label.toLowerCase()}`} />;
  if (!resource.data) return <Loading />;
  const list = resource.data.value;
  if (list.length === 0) return <Text className={styles.muted}>{empty}</Text>;
  return (
    <>
      <Table aria-label={label} size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>Type</TableHeaderCell>
            <TableHeaderCell>Details</TableHeaderCell>
            {onRemove && <TableHeaderCell />}
          </TableRow>
        </TableHeader>
        <TableBody>
          {list.map((o) => {
            const kind: ObjectKind = kindOf(o);
            return (
              <TableRow key={o.id}>
                <TableCell>{kind === 'user' ? <Link href={href(`/users?id=${o.id}`)}>{nameOf(o)}</Link> : kind === 'group' ? <Link href={href(`/groups?id=${o.id}`)}>{nameOf(o)}</Link> : nameOf(o)}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color="informative">
                    {KIND_LABEL[kind]}
                  </Badge>
                </TableCell>
                <TableCell className={styles.detail}>{detailOf(o, kind)}</TableCell>
                {onRemove && (
                  <TableCell>
                    <Button size="small" appearance="subtle" icon={<DeleteRegular />} disabled={busy} onClick={() => onRemove(o)} aria-label={`Remove ${nameOf(o)}`}>
                      Remove
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Text size={200}>{resource.data['@odata.nextLink'] ? `The first ${LIST_TOP}.` : `${list.length} in all.`}</Text>
    </>
  );
}

// ---- Dynamic membership rules -------------------------------------------------------------------------

const SUBJECT_LABEL: Record<RuleSubject, string> = { user: 'Dynamic User', device: 'Dynamic Device' };

function RulesPanel({ group, onSaved }: { readonly group: Group; readonly onSaved: () => void }) {
  const styles = useStyles();
  const savedRule = group.membershipRule ?? '';
  const savedState = group.membershipRuleProcessingState === 'Paused' ? 'Paused' : 'On';
  const [rule, setRule] = useState(savedRule);
  const [state, setState] = useState<'On' | 'Paused'>(savedState);
  const [subject, setSubject] = useState<RuleSubject>(ruleSubject(savedRule) ?? 'user');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);
  const check = useRuleCheck(rule, subject);
  const dirty = rule !== savedRule || state !== savedState;
  const canSave = dirty && !busy && check.status === 'valid' && check.text === rule;

  const save = async () => {
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      await graph('PATCH', `/v1.0/groups/${group.id}`, { membershipRule: rule, membershipRuleProcessingState: state });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  };

  return (
    <section className={styles.panel} aria-label="Dynamic membership rules">
      <div className={styles.row}>
        <Field label="Membership type">
          <Dropdown value={SUBJECT_LABEL[subject]} selectedOptions={[subject]} onOptionSelect={(_e, d) => setSubject(d.optionValue as RuleSubject)}>
            <Option value="user">Dynamic User</Option>
            <Option value="device">Dynamic Device</Option>
          </Dropdown>
        </Field>
        <Field label="Dynamic membership processing" hint="Paused keeps the members as they are until processing is on again.">
          <RadioGroup layout="horizontal" value={state} onChange={(_e, d) => setState(d.value as 'On' | 'Paused')}>
            <Radio value="On" label="On" />
            <Radio value="Paused" label="Paused" />
          </RadioGroup>
        </Field>
      </div>
      <RuleEditor
        value={rule}
        onChange={(v) => {
          setRule(v);
          setSaved(false);
        }}
        check={check}
      />
      <div className={styles.bar}>
        <Button appearance="primary" icon={<SaveRegular />} disabled={!canSave} onClick={save}>
          {busy ? 'Saving…' : 'Save'}
        </Button>
        <Button
          disabled={!dirty || busy}
          onClick={() => {
            setRule(savedRule);
            setState(savedState);
            setSubject(ruleSubject(savedRule) ?? 'user');
            setError(undefined);
          }}
        >
          Discard
        </Button>
        {saved && !dirty && (
          <Text role="status" className={styles.muted}>
            Saved. Membership is being processed again.
          </Text>
        )}
      </div>
      <ErrorBar error={error} title="Could not save the rule" />
      <Subtitle2 as="h2">Validate rules</Subtitle2>
      <ValidateRules rule={rule} check={check} subject={subject} />
    </section>
  );
}

// ---- Delete -------------------------------------------------------------------------------------------

function DeleteGroupDialog({ open, group, onDismiss }: { readonly open: boolean; readonly group: Group; readonly onDismiss: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await graph('DELETE', `/v1.0/groups/${group.id}`);
      navigate('/groups');
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onOpenChange={(_e, d) => !d.open && onDismiss()}>
      <DialogSurface aria-label="Delete group">
        <DialogBody>
          <DialogTitle>Delete {group.displayName}?</DialogTitle>
          <DialogContent>
            Policies, apps and profiles assigned to this group no longer reach its members. Deleting a group cannot be undone here.
            <ErrorBar error={error} title="Could not delete the group" />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={busy} onClick={remove}>
              {busy ? 'Deleting…' : 'Delete'}
            </Button>
            <Button onClick={onDismiss} disabled={busy}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
