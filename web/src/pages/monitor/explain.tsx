// Explain: what setup will do when this user signs in on this device, and why (GET /_tarmac/tenants/{id}/
// explain?user=&device=). The prediction is the engine itself run in a rolled-back transaction: the path and
// why, every check with its result and the setting behind it, the candidate policies, the device group, the
// Enrollment Status Page, every app and script (tracked, skipped or after setup, and why), and for a device
// that already ran setup, its last deployment compared with the prediction.
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  Badge,
  Button,
  Card,
  CardHeader,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
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
import { CheckmarkCircleFilled } from '@fluentui/react-icons/svg/checkmark-circle';
import { ErrorCircleFilled } from '@fluentui/react-icons/svg/error-circle';
import { WarningFilled } from '@fluentui/react-icons/svg/warning';
import { CircleRegular } from '@fluentui/react-icons/svg/circle';
import { DocumentSearchRegular } from '@fluentui/react-icons/svg/document-search';
import { control, useGraph, useLoad } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { Loading } from '../../components/loading';
import { ItemStatusBadge, StatusBadge } from './deployment-details';
import { PATH_LABEL, durationText } from './format';
import { DevicePicker, UserPicker } from './pickers';
import type { CheckResult, DeploymentItem, Explanation } from './types';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  form: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  facts: { display: 'grid', gridTemplateColumns: '220px 1fr', rowGap: tokens.spacingVerticalS, columnGap: tokens.spacingHorizontalM, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  result: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, whiteSpace: 'nowrap' },
  pass: { color: tokens.colorPaletteGreenForeground1 },
  fail: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  neutral: { color: tokens.colorNeutralForeground3 },
  small: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

const RESULT_LABEL: Readonly<Record<CheckResult, string>> = { pass: 'Pass', fail: 'Fail', warning: 'Warning', notChecked: 'Not checked', notApplicable: 'Not applicable' };

function ResultIcon({ result }: { readonly result: CheckResult }) {
  const styles = useStyles();
  const icon =
    result === 'pass' ? <CheckmarkCircleFilled className={styles.pass} /> : result === 'fail' ? <ErrorCircleFilled className={styles.fail} /> : result === 'warning' ? <WarningFilled className={styles.warning} /> : <CircleRegular className={styles.neutral} />;
  return (
    <span className={styles.result}>
      {icon}
      {RESULT_LABEL[result]}
    </span>
  );
}

/** A setting's value as the portal would word it: text, a list, or key: value pairs. */
function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v === true ? 'Yes' : v === false ? 'No' : v);
  if (Array.isArray(v)) return v.length ? v.map(valueText).join(', ') : 'none';
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${valueText(x)}`)
    .join('; ');
}

export interface ExplainProps {
  readonly tenantId: string;
  readonly initialUser?: string;
  readonly initialDevice?: string;
  /** Opens a deployment in the report. */
  readonly onOpenDeployment?: (id: string) => void;
}

export function Explain({ tenantId, initialUser = '', initialDevice = '', onOpenDeployment }: ExplainProps) {
  const styles = useStyles();
  const [user, setUser] = useState(initialUser);
  const [device, setDevice] = useState(initialDevice);
  const [asked, setAsked] = useState<{ user: string; device: string } | null>(initialUser || initialDevice ? { user: initialUser, device: initialDevice } : null);
  const [tick, setTick] = useState(0);
  const result = useLoad(
    asked
      ? (signal) => {
          const q = new URLSearchParams();
          if (asked.user) q.set('user', asked.user);
          if (asked.device) q.set('device', asked.device);
          return control<Explanation>('GET', `/tenants/${encodeURIComponent(tenantId)}/explain?${q}`, undefined, { signal });
        }
      : null,
    [tenantId, asked, tick],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsked({ user: user.trim(), device: device.trim() });
    setTick((t) => t + 1);
  };

  return (
    <div className={styles.root}>
      <Subtitle2 as="h2">Explain a deployment</Subtitle2>
      <Text className={styles.small}>
        Pick a user and a simulated device (either may be left out): Tarmac runs setup for them without changing the tenant and shows what would happen and why.
      </Text>
      <form className={styles.form} onSubmit={submit} aria-label="Explain">
        <Field label="User">
          <UserPicker label="User to explain" value={user} onChange={setUser} />
        </Field>
        <Field label="Device">
          <DevicePicker tenantId={tenantId} label="Device to explain" value={device} onChange={setDevice} />
        </Field>
        <Button appearance="primary" type="submit" icon={<DocumentSearchRegular />} disabled={!user.trim() && !device.trim()}>
          Explain
        </Button>
      </form>
      <ErrorBar error={result.error} title="Could not explain" />
      {result.loading && <Loading label="Running setup in a rolled-back transaction…" />}
      {result.data && !result.loading && <ExplanationView x={result.data} onOpenDeployment={onOpenDeployment} />}
    </div>
  );
}

function Facts({ items }: { readonly items: readonly [string, ReactNode][] }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts}>
      {items.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.value}>{value === null || value === undefined || value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ExplanationView({ x, onOpenDeployment }: { readonly x: Explanation; readonly onOpenDeployment?: (id: string) => void }) {
  const styles = useStyles();
  const p = x.prediction;
  const path = p.path === 'blocked' ? `Blocked (on the way to ${PATH_LABEL[p.intendedPath ?? ''] ?? p.intendedPath})` : (PATH_LABEL[p.path] ?? p.path);
  const items = [...(p.apps ?? []).map((i) => ({ ...i, kind: 'App' })), ...(p.scripts ?? []).map((i) => ({ ...i, kind: 'Script' }))];
  const grouping = p.enrollmentTimeGrouping;
  const groupId = p.policy?.deviceGroupId ?? null;
  const group = useGraph<{ displayName: string }>(groupId ? `/v1.0/groups/${groupId}?$select=displayName` : null);
  const groupName = group.data?.displayName ?? groupId;
  const names = new Map([...(p.apps ?? []).map((i) => [`app:${i.id}`, i.displayName] as const), ...(p.scripts ?? []).map((i) => [`script:${i.id}`, i.displayName] as const)]);
  return (
    <div className={styles.root} aria-label="Prediction" role="region">
      {p.status === 'failed' && p.error && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Setup will fail</MessageBarTitle>
            {p.error.message} <span className={styles.mono}>({p.error.code})</span>
          </MessageBarBody>
        </MessageBar>
      )}
      {p.status === 'success' && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Setup will succeed</MessageBarTitle>
            {p.deploymentTimeSeconds !== null && p.deploymentTimeSeconds !== undefined ? `In about ${durationText(p.deploymentTimeSeconds)} of the tenant's clock.` : ''}
          </MessageBarBody>
        </MessageBar>
      )}
      <Card className={styles.card}>
        <CardHeader header={<Subtitle2 as="h3">Prediction</Subtitle2>} />
        <Facts
          items={[
            ['User', x.user ? `${x.user.displayName} (${x.user.userPrincipalName})` : 'Nobody signed in yet'],
            ['Device', x.device ? `${x.device.serialNumber} · ${x.device.manufacturer} ${x.device.model} · Windows ${x.device.windowsEdition} ${x.device.osVersion}` : 'A new device with the default hardware'],
            ['Path', <strong key="p">{path}</strong>],
            ['Why', p.pathReason],
            ...(p.status ? ([['Result', <StatusBadge key="s" status={p.status} />]] as [string, ReactNode][]) : []),
            ['Device preparation policy', p.policy ? `${p.policy.name} (priority ${p.policy.priority ?? '—'}, ${p.policy.timeoutMinutes} minutes, ${p.policy.userAccountType === 'standardUser' ? 'standard user' : 'administrator'})` : null],
            ['Deployment profile', p.profile ? (p.profile.displayName ?? 'Default behaviour (no profile assigned)') : null],
            ['Enrollment Status Page', p.enrollmentStatusPage ? `${p.enrollmentStatusPage.displayName} (${p.enrollmentStatusPage.source}${p.enrollmentStatusPage.showInstallationProgress ? ', shows progress' : ', progress not shown'})` : null],
            [
              'Device group',
              p.policy
                ? p.policy.deviceGroupId
                  ? `${groupName}${grouping ? (grouping.status === 'added' ? ': the device is added at enrollment' : `: not added (${grouping.reason ?? 'failed'})`) : ''}`
                  : 'None: nothing assigned to a device group is tracked'
                : null,
            ],
            ['Ownership', p.ownership],
            ['Local administrator', p.localAdministrator === undefined || p.localAdministrator === null ? null : p.localAdministrator ? 'Yes' : 'No (standard user)'],
            ...(p.provisioningSkipped ? ([['Provisioning', 'Skipped: standard user with the local administrator setting not All (known issue)']] as [string, ReactNode][]) : []),
            ['Device name', p.deviceName],
            ['Final screen', p.screen ? `${p.screen.title}${p.screen.message ? `: ${p.screen.message}` : ''}` : null],
          ]}
        />
      </Card>

      <Card className={styles.card}>
        <CardHeader header={<Subtitle2 as="h3">Checks</Subtitle2>} description={<Text size={200}>Every check of a sign-in, in the service's order, each with the setting it reads.</Text>} />
        <Table size="small" aria-label="Checks">
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: '26%' }}>Check</TableHeaderCell>
              <TableHeaderCell style={{ width: '12%' }}>Result</TableHeaderCell>
              <TableHeaderCell style={{ width: '24%' }}>Setting</TableHeaderCell>
              <TableHeaderCell>Details</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {x.checks.map((c) => (
              <TableRow key={c.id} data-check={c.id} data-result={c.result}>
                <TableCell>{c.title}</TableCell>
                <TableCell>
                  <ResultIcon result={c.result} />
                </TableCell>
                <TableCell>
                  <div>{c.setting}</div>
                  <div className={styles.small}>{valueText(c.value)}</div>
                </TableCell>
                <TableCell>
                  <span className={styles.small}>
                    {c.detail}
                    {c.errorCode && <span className={styles.mono}> ({c.errorCode})</span>}
                  </span>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>

      {x.policies.length > 0 && (
        <Card className={styles.card}>
          <CardHeader header={<Subtitle2 as="h3">Candidate policies</Subtitle2>} description={<Text size={200}>Device preparation policies of the tenant: the smallest priority number assigned to the user wins.</Text>} />
          <Table size="small" aria-label="Candidate policies">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Policy</TableHeaderCell>
                <TableHeaderCell style={{ width: '10%' }}>Priority</TableHeaderCell>
                <TableHeaderCell style={{ width: '14%' }}>Assigned to the user</TableHeaderCell>
                <TableHeaderCell>Why</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {x.policies.map((policy) => (
                <TableRow key={policy.id} data-policy={policy.name}>
                  <TableCell>
                    {policy.name}{' '}
                    {policy.chosen && (
                      <Badge appearance="filled" color="brand" shape="rounded">
                        Chosen
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>{policy.priority ?? '—'}</TableCell>
                  <TableCell>{policy.targetsUser ? 'Yes' : 'No'}</TableCell>
                  <TableCell>
                    <span className={styles.small}>{policy.why}</span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}

      {items.length > 0 && (
        <Card className={styles.card}>
          <CardHeader header={<Subtitle2 as="h3">Apps and scripts</Subtitle2>} description={<Text size={200}>Tracked during setup, skipped, or installed after setup, and why; with the simulated result.</Text>} />
          <Table size="small" aria-label="Apps and scripts">
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: '26%' }}>Name</TableHeaderCell>
                <TableHeaderCell style={{ width: '9%' }}>Type</TableHeaderCell>
                <TableHeaderCell style={{ width: '13%' }}>During setup</TableHeaderCell>
                <TableHeaderCell style={{ width: '13%' }}>Result</TableHeaderCell>
                <TableHeaderCell>Why</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((i) => (
                <TableRow key={`${i.kind}:${i.id}`} data-item={i.displayName}>
                  <TableCell>{i.displayName}</TableCell>
                  <TableCell>{i.kind}</TableCell>
                  <TableCell>{trackingLabel(i)}</TableCell>
                  <TableCell>{i.tracked && i.status !== 'skipped' ? <ItemStatusBadge status={i.status} /> : '—'}</TableCell>
                  <TableCell>
                    <span className={styles.small}>{i.reason ?? (i.tracked ? 'Selected in the policy and assigned to the device group.' : '')}</span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}

      {x.lastDeployment && (
        <Card className={styles.card} aria-label="Last deployment compared">
          <CardHeader
            header={<Subtitle2 as="h3">Last deployment on this device</Subtitle2>}
            description={<Text size={200}>{x.lastDeployment.note}</Text>}
            action={
              onOpenDeployment ? (
                <Button size="small" onClick={() => onOpenDeployment(x.lastDeployment!.deploymentId)}>
                  Open deployment
                </Button>
              ) : undefined
            }
          />
          <Text>
            <StatusBadge status={x.lastDeployment.status} />{' '}
            {x.lastDeployment.matchesPrediction ? 'It went as predicted now.' : `It differs from the prediction in ${x.lastDeployment.differences.length} ${x.lastDeployment.differences.length === 1 ? 'way' : 'ways'}:`}
          </Text>
          {x.lastDeployment.differences.length > 0 && (
            <Table size="small" aria-label="Differences">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell style={{ width: '20%' }}>Field</TableHeaderCell>
                  <TableHeaderCell>Predicted now</TableHeaderCell>
                  <TableHeaderCell>What happened</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {x.lastDeployment.differences.map((d) => (
                  <TableRow key={d.field}>
                    <TableCell>{d.field}</TableCell>
                    <TableCell className={styles.small}>{differenceText(d.field, d.predicted, names)}</TableCell>
                    <TableCell className={styles.small}>{differenceText(d.field, d.actual, names)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Card>
      )}
    </div>
  );
}

function trackingLabel(i: DeploymentItem): string {
  if (i.status === 'skipped') return 'Skipped';
  return i.tracked ? 'Tracked' : 'After setup';
}

/** A compared value; items (keyed `app:<id>`, `script:<id>`) by name. */
function differenceText(field: string, v: unknown, names: ReadonlyMap<string, string>): string {
  if (field !== 'items' || !v || typeof v !== 'object') return valueText(v);
  return Object.entries(v as Record<string, { status: string; reasonCode: string | null }>)
    .map(([k, s]) => `${names.get(k) ?? k}: ${s.status}${s.reasonCode ? ` (${s.reasonCode})` : ''}`)
    .join('; ');
}
