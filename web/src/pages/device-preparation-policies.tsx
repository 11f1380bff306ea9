// Device preparation policies: the user-driven policies in priority order, as the portal lists them (its own
// query), moved up and down with `reorder`; "Create" opens the policy wizard (`?new=1`), and a policy opens
// in the same wizard to review and edit it (`?id=<policyId>`): its settings, its user groups and its device
// group (retrieveEnrollmentTimeDeviceMembershipTarget).
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
  Link,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { ArrowUpRegular } from '@fluentui/react-icons/svg/arrow-up';
import { ArrowDownRegular } from '@fluentui/react-icons/svg/arrow-down';
import { ArrowLeftRegular } from '@fluentui/react-icons/svg/arrow-left';
import { DeleteRegular } from '@fluentui/react-icons/svg/delete';
import { asApiError, graph, graphAll, useLoad, type ApiError, type GraphList } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { href, navigate, useQuery } from '../router';
import { GROUP_TARGET, formatDate, useGroups, type MobileApp, type Target } from './intune/common';
import type { Script } from './intune/add-script-dialog';
import { ENROLLMENT_TEMPLATE_FAMILY, NEW_POLICY, USER_DRIVEN_TEMPLATE_ID, draftFromPolicy, type StoredPolicy } from './intune/device-preparation';
import { POLICIES, PolicyWizard, type WizardData } from './intune/policy-wizard';

const LIST = '/devices/device-preparation';

export default function DevicePreparationPoliciesPage() {
  const query = useQuery();
  const id = query.get('id');
  if (id) return <EditPolicy id={id} />;
  if (query.get('new')) return <CreatePolicy />;
  return <PolicyList />;
}

interface ListedPolicy {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly isAssigned?: boolean;
  readonly lastModifiedDateTime?: string;
  readonly priorityMetaData?: { readonly priority?: number } | null;
}

/** The portal's list query (its $select, $top and $filter, property casing included). */
const LIST_QUERY =
  `${POLICIES}?$select=id,name,description,platforms,lastModifiedDateTime,technologies,settingCount,roleScopeTagIds,isAssigned,templateReference,priorityMetaData&$top=100&$filter=` +
  encodeURIComponent(
    `(technologies has 'enrollment') and (platforms eq 'windows10') and (TemplateReference/templateId eq '${USER_DRIVEN_TEMPLATE_ID}') and (Templatereference/templateFamily eq '${ENROLLMENT_TEMPLATE_FAMILY}')`,
  );

const priority = (p: ListedPolicy) => p.priorityMetaData?.priority ?? Number.MAX_SAFE_INTEGER;

function PolicyList() {
  const policies = useLoad(async (signal) => (await graphAll<ListedPolicy>(LIST_QUERY, { signal })).sort((a, b) => priority(a) - priority(b)), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const move = async (p: ListedPolicy, to: number) => {
    setBusy(true);
    setError(undefined);
    try {
      await graph('POST', `${POLICIES}/${encodeURIComponent(p.id)}/reorder`, { priority: to });
      policies.reload();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const list = policies.data ?? [];
  return (
    <Page
      title="Device preparation policies"
      description="Windows Autopilot device preparation policies: device group, apps and scripts, user groups, priority."
      actions={
        <Button appearance="primary" icon={<AddRegular />} onClick={() => navigate(`${LIST}?new=1`)}>
          Create
        </Button>
      }
    >
      <ErrorBar error={policies.error} title="Could not read the policies" />
      <ErrorBar error={error} title="Could not change the priority" />
      {policies.loading && !policies.data && <Loading />}
      {policies.data && (
        <>
          <Text size={200}>When several policies are assigned to a user, the one with the highest priority (the smallest number) applies.</Text>
          <Table aria-label="Device preparation policies" size="small" style={{ tableLayout: 'auto' }}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: '80px' }}>Priority</TableHeaderCell>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Assigned</TableHeaderCell>
                <TableHeaderCell>Last modified</TableHeaderCell>
                <TableHeaderCell style={{ width: '200px' }}>Order</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((p, i) => (
                <TableRow key={p.id} data-policy={p.name}>
                  <TableCell>{p.priorityMetaData?.priority ?? ''}</TableCell>
                  <TableCell>
                    <Link href={href(`${LIST}?id=${encodeURIComponent(p.id)}`)}>{p.name}</Link>
                  </TableCell>
                  <TableCell>{p.isAssigned ? <Badge appearance="tint" color="success">Yes</Badge> : <Badge appearance="tint" color="informative">No</Badge>}</TableCell>
                  <TableCell>{formatDate(p.lastModifiedDateTime)}</TableCell>
                  <TableCell>
                    <Button size="small" appearance="subtle" icon={<ArrowUpRegular />} aria-label={`Move ${p.name} up`} disabled={busy || i === 0} onClick={() => void move(p, priority(list[i - 1]!))}>
                      Up
                    </Button>
                    <Button
                      size="small"
                      appearance="subtle"
                      icon={<ArrowDownRegular />}
                      aria-label={`Move ${p.name} down`}
                      disabled={busy || i === list.length - 1}
                      onClick={() => void move(p, priority(list[i + 1]!))}
                    >
                      Down
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Text size={200}>{list.length === 0 ? 'No device preparation policies yet.' : `${list.length} ${list.length === 1 ? 'policy' : 'policies'}.`}</Text>
        </>
      )}
    </Page>
  );
}

/** What the wizard's Apps, Scripts, Assignments and Device group pages offer. */
function useWizardData() {
  const groups = useGroups();
  const items = useLoad(async (signal) => {
    const [apps, scripts] = await Promise.all([
      graphAll<MobileApp>('/beta/deviceAppManagement/mobileApps?$expand=assignments&$orderby=displayName', { signal }),
      graphAll<Script>('/beta/deviceManagement/deviceManagementScripts?$expand=assignments&$orderby=displayName', { signal }),
    ]);
    return { apps, scripts };
  }, []);
  const data: WizardData | undefined = items.data && groups.data ? { ...items.data, groups: groups.data } : undefined;
  return { data, error: items.error ?? groups.error, loading: items.loading || groups.loading };
}

function CreatePolicy() {
  const wizard = useWizardData();
  return (
    <Page title="Create device preparation policy" description="Windows 11 · Windows Autopilot device preparation · User-driven">
      <ErrorBar error={wizard.error} title="Could not read the apps, scripts and groups" />
      {!wizard.data && wizard.loading && <Loading />}
      {wizard.data && <PolicyWizard initial={NEW_POLICY} data={wizard.data} onSaved={() => navigate(LIST)} onCancel={() => navigate(LIST)} />}
    </Page>
  );
}

interface TargetResult {
  readonly validationSucceeded?: boolean;
  readonly enrollmentTimeDeviceMembershipTargetValidationStatuses?: readonly { readonly targetId: string; readonly targetValidationErrorCode?: string }[];
}

function EditPolicy({ id }: { readonly id: string }) {
  const wizard = useWizardData();
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<ApiError>();
  const policy = useLoad(
    async (signal) => {
      const path = `${POLICIES}/${encodeURIComponent(id)}`;
      const [p, assignments, target] = await Promise.all([
        graph<StoredPolicy>('GET', `${path}?$expand=settings`, undefined, { signal }),
        graph<GraphList<{ target: Target }>>('GET', `${path}/assignments`, undefined, { signal }),
        graph<TargetResult & { value?: TargetResult }>('POST', `${path}/retrieveEnrollmentTimeDeviceMembershipTarget`, undefined, { signal }),
      ]);
      const status = (target.value ?? target).enrollmentTimeDeviceMembershipTargetValidationStatuses?.[0];
      const included = assignments.value.filter((a) => a.target['@odata.type'] === GROUP_TARGET && a.target.groupId).map((a) => a.target.groupId!);
      return {
        name: p.name,
        draft: draftFromPolicy(p, included, status?.targetId ?? null),
        code: status?.targetValidationErrorCode,
        others: assignments.value.filter((a) => a.target['@odata.type'] !== GROUP_TARGET).map((a) => a.target),
      };
    },
    [id],
  );

  const remove = async () => {
    setDeleteError(undefined);
    try {
      await graph('DELETE', `${POLICIES}/${encodeURIComponent(id)}`);
      navigate(LIST);
    } catch (err) {
      setDeleteError(asApiError(err));
    }
  };

  const p = policy.data;
  return (
    <Page
      title={p?.name ?? 'Device preparation policy'}
      description="Windows 11 · Windows Autopilot device preparation · User-driven"
      actions={
        <>
          <Button icon={<ArrowLeftRegular />} onClick={() => navigate(LIST)}>
            All policies
          </Button>
          <Button icon={<DeleteRegular />} disabled={!p} onClick={() => setDeleting(true)}>
            Delete
          </Button>
        </>
      }
    >
      <ErrorBar error={policy.error} title="Could not read the policy" />
      <ErrorBar error={wizard.error} title="Could not read the apps, scripts and groups" />
      <ErrorBar error={deleteError} title="Could not delete the policy" />
      {(!p || !wizard.data) && (policy.loading || wizard.loading) && <Loading />}
      {p && wizard.data && (
        <PolicyWizard
          key={`${id}|${p.draft.name}`}
          initial={p.draft}
          data={wizard.data}
          policyId={id}
          startAt="review"
          deviceGroupCode={p.code}
          otherTargets={p.others}
          onSaved={() => navigate(LIST)}
          onCancel={() => navigate(LIST)}
        />
      )}
      <Dialog open={deleting} onOpenChange={(_e, v) => setDeleting(v.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete {p?.name}?</DialogTitle>
            <DialogContent>The policy, its device group setting and its assignments are removed; the policies after it move up in priority.</DialogContent>
            <DialogActions>
              <Button
                appearance="primary"
                onClick={() => {
                  setDeleting(false);
                  void remove();
                }}
              >
                Delete
              </Button>
              <Button onClick={() => setDeleting(false)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </Page>
  );
}
