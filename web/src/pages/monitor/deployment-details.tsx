// "Device deployment details": the pane the report opens for one deployment (behaviour.md §4), live. Device
// (name, status, Intune and Entra device ids, serial number, deployment policy, OS version), Apps and
// Scripts with Installed / In progress / Skipped / Failed and the reason, then the timeline of what happened.
import { useEffect, type ReactNode } from 'react';
import {
  Badge,
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  Link,
  OverlayDrawer,
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
import { DismissRegular } from '@fluentui/react-icons/svg/dismiss';
import { control, useLoad } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { Loading } from '../../components/loading';
import { href } from '../../router';
import { ITEM_STATUS_LABEL, PATH_LABEL, STATUS_LABEL, dateTimeText, durationText, phaseLabel } from './format';
import type { Deployment, DeploymentItem, DeploymentStatus, ItemStatus, SimulatedDevice } from './types';
import { POLL_MS } from './deployment-store';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, paddingBottom: tokens.spacingVerticalXXL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  facts: { display: 'grid', gridTemplateColumns: '190px 1fr', rowGap: tokens.spacingVerticalS, columnGap: tokens.spacingHorizontalM, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  reason: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  timeline: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  event: { display: 'grid', gridTemplateColumns: '76px 1fr', columnGap: tokens.spacingHorizontalM, fontSize: tokens.fontSizeBase200 },
  time: { fontFamily: tokens.fontFamilyMonospace, color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export function StatusBadge({ status }: { readonly status: DeploymentStatus }) {
  const color = status === 'success' ? 'success' : status === 'failed' ? 'danger' : 'brand';
  return (
    <Badge appearance="tint" color={color} shape="rounded">
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function ItemStatusBadge({ status }: { readonly status: ItemStatus }) {
  const color = status === 'installed' ? 'success' : status === 'failed' ? 'danger' : status === 'inProgress' ? 'brand' : status === 'skipped' ? 'warning' : 'subtle';
  return (
    <Badge appearance="tint" color={color} shape="rounded">
      {ITEM_STATUS_LABEL[status]}
    </Badge>
  );
}

export interface DeploymentDetailsProps {
  readonly tenantId: string;
  /** The deployment shown; undefined closes the pane. */
  readonly deploymentId: string | undefined;
  readonly onClose: () => void;
  /** Each answer, so a list can show the same state at once. */
  readonly onRead?: (d: Deployment) => void;
}

export function DeploymentDetailsDrawer({ tenantId, deploymentId, onClose, onRead }: DeploymentDetailsProps) {
  return (
    <OverlayDrawer
      open={deploymentId !== undefined}
      onOpenChange={(_e, data) => !data.open && onClose()}
      position="end"
      size="medium"
      modalType="non-modal"
      aria-label="Device deployment details"
      style={{ width: 640 }}
    >
      <DrawerHeader>
        <DrawerHeaderTitle action={<Button appearance="subtle" aria-label="Close" icon={<DismissRegular />} onClick={onClose} />}>Device deployment details</DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>{deploymentId && <DeploymentDetails tenantId={tenantId} deploymentId={deploymentId} onRead={onRead} />}</DrawerBody>
    </OverlayDrawer>
  );
}

export function DeploymentDetails({ tenantId, deploymentId, onRead }: { readonly tenantId: string; readonly deploymentId: string; readonly onRead?: (d: Deployment) => void }) {
  const styles = useStyles();
  const base = `/tenants/${encodeURIComponent(tenantId)}`;
  // Live: a running deployment moves under the pane.
  const deployment = useLoad((signal) => control<Deployment>('GET', `${base}/deployments/${encodeURIComponent(deploymentId)}`, undefined, { signal }), [base, deploymentId], { poll: POLL_MS });
  const d = deployment.data;
  const deviceId = d?.deviceId;
  const device = useLoad(deviceId ? (signal) => control<SimulatedDevice>('GET', `${base}/devices/${deviceId}`, undefined, { signal }) : null, [base, deviceId]);
  useEffect(() => {
    if (d) onRead?.(d);
  }, [d]);

  if (!d) return deployment.error ? <ErrorBar error={deployment.error} title="Could not read the deployment" /> : <Loading />;
  const fact = (term: string, value: ReactNode) => (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={styles.value}>{value === null || value === undefined || value === '' ? '—' : value}</dd>
    </>
  );
  return (
    <div className={styles.body} data-deployment={d.id}>
      <ErrorBar error={deployment.error} title="Could not refresh the deployment" />
      <section className={styles.section} aria-labelledby="details-device">
        <Subtitle2 as="h3" id="details-device">
          Device
        </Subtitle2>
        <dl className={styles.facts}>
          {fact('Device name', d.deviceName && <Link href={href(`/simulator?device=${encodeURIComponent(d.serialNumber)}`)}>{d.deviceName}</Link>)}
          {fact('Deployment status', <StatusBadge status={d.status} />)}
          {fact('Phase', phaseLabel(d.phase))}
          {fact('Device ID (Intune)', d.managedDeviceId && <span className={styles.mono}>{d.managedDeviceId}</span>)}
          {fact('Microsoft Entra device ID', d.azureADDeviceId && <span className={styles.mono}>{d.azureADDeviceId}</span>)}
          {fact('Serial number', d.serialNumber)}
          {fact('Deployment policy', d.policy?.name ?? d.profile?.displayName ?? (d.path === 'blocked' ? PATH_LABEL[d.intendedPath ?? ''] : PATH_LABEL[d.path]))}
          {fact('OS version', device.data?.osVersion)}
          {fact('UPN', d.userPrincipalName)}
          {fact('Enrollment date', dateTimeText(d.timeline.find((t) => t.event === 'enrolled')?.dateTime ?? d.startedDateTime))}
          {fact('Deployment time', d.deploymentTimeSeconds === null ? 'In progress' : durationText(d.deploymentTimeSeconds))}
          {d.attempt > 1 && fact('Attempts', d.attempt)}
          {d.error &&
            fact(
              'Error',
              <span className={styles.error}>
                {d.error.message} <span className={styles.mono}>({d.error.code})</span>
              </span>,
            )}
          {d.continuedAnyway && fact('User choice', 'Continued anyway after the failure')}
          {(d.logsCollected || d.status === 'failed') && fact('Diagnostics', d.logsCollected ? 'Logs collected on the device' : 'Logs collected automatically on failure')}
        </dl>
      </section>
      <ItemsSection title="Apps" items={d.apps} />
      <ItemsSection title="Scripts" items={d.scripts} />
      <section className={styles.section} aria-labelledby="details-timeline">
        <Subtitle2 as="h3" id="details-timeline">
          Timeline (UTC, tenant clock)
        </Subtitle2>
        <ol className={styles.timeline}>
          {d.timeline.map((t, i) => (
            <li key={i} className={styles.event} data-event={t.event}>
              <span className={styles.time}>{t.dateTime.slice(11, 19)}</span>
              <span>{t.detail ?? t.event}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function ItemsSection({ title, items }: { readonly title: string; readonly items: readonly DeploymentItem[] }) {
  const styles = useStyles();
  const id = `details-${title.toLowerCase()}`;
  return (
    <section className={styles.section} aria-labelledby={id}>
      <Subtitle2 as="h3" id={id}>
        {title}
      </Subtitle2>
      {items.length === 0 ? (
        <Text className={styles.reason}>None in this deployment.</Text>
      ) : (
        <Table size="small" aria-label={title}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: '38%' }}>Name</TableHeaderCell>
              <TableHeaderCell style={{ width: '20%' }}>Status</TableHeaderCell>
              <TableHeaderCell>Details</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((i) => (
              <TableRow key={i.id} data-item={i.displayName}>
                <TableCell>{i.displayName}</TableCell>
                <TableCell>{i.tracked ? <ItemStatusBadge status={i.status} /> : <Badge appearance="outline" color="subtle" shape="rounded">After setup</Badge>}</TableCell>
                <TableCell>
                  <span className={styles.reason}>
                    {i.reason ??
                      (i.status === 'installed' && i.durationSeconds !== null
                        ? `${durationText(i.durationSeconds)}${i.exitCode !== null ? `, exit code ${i.exitCode}` : ''}`
                        : i.status === 'inProgress'
                          ? `Since ${i.startedDateTime?.slice(11, 19) ?? ''}`
                          : '')}
                  </span>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
