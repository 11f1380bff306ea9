// Home: the setup checklist. Every few seconds it reads the tenant through Graph and runs the pre-flight
// check, and shows each tutorial step as done, needing attention (with the findings and their fixes) or not
// started, with a link to the screen that fixes it. The rules are in checklist.ts.
import {
  Badge,
  Button,
  Card,
  CardHeader,
  Link,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Subtitle2,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowSyncRegular } from '@fluentui/react-icons/svg/arrow-sync';
import { ErrorCircleFilled } from '@fluentui/react-icons/svg/error-circle';
import { WarningFilled } from '@fluentui/react-icons/svg/warning';
import { InfoFilled } from '@fluentui/react-icons/svg/info';
import { control, graph, graphAll, useLoad } from '../api';
import {
  checklist,
  referencedGroupIds,
  type Finding,
  type StepResult,
  type StepStatus,
  type TenantReads,
  type Tutorial,
} from '../checklist';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { href } from '../router';
import { routes } from '../routes';
import { useSignedIn } from '../session';

/** How often the checklist reads the tenant again. */
const REFRESH_MS = 5000;
/** The Microsoft Intune MDM application, whose mobility policy holds the MDM user scope. */
const INTUNE_MDM_APP_ID = '0000000a-0000-0000-c000-000000000000';

interface PreflightReport {
  readonly summary: { readonly errors: number; readonly warnings: number; readonly info: number };
  readonly findings: readonly Finding[];
}

/** One pass over the tenant: the Graph reads of every step, the pre-flight, then the names of the groups named. */
async function readTenant(tenantId: string, signal: AbortSignal): Promise<{ reads: TenantReads; report: PreflightReport }> {
  const o = { signal };
  const dynamic = encodeURIComponent("groupTypes/any(c:c eq 'DynamicMembership')");
  const [mdm, registration, configurationPolicies, identities, dynamicGroups, enrollmentConfigurations, deploymentProfiles, devices, report] = await Promise.all([
    graph('GET', `/beta/policies/mobileDeviceManagementPolicies/${INTUNE_MDM_APP_ID}`, undefined, o),
    graph('GET', '/beta/policies/deviceRegistrationPolicy', undefined, o),
    graphAll('/beta/deviceManagement/configurationPolicies?$expand=settings,assignments', o),
    graph('GET', '/beta/deviceManagement/importedDeviceIdentities?$top=1', undefined, o),
    graphAll(`/v1.0/groups?$filter=${dynamic}&$select=id,displayName,membershipRule`, o),
    graphAll('/beta/deviceManagement/deviceEnrollmentConfigurations?$expand=assignments', o),
    graphAll('/beta/deviceManagement/windowsAutopilotDeploymentProfiles?$expand=assignments', o),
    graph('GET', '/beta/deviceManagement/windowsAutopilotDeviceIdentities?$top=1&$count=true', undefined, o),
    control<PreflightReport>('GET', `/tenants/${tenantId}/preflight`, undefined, o),
  ]);
  const read: Omit<TenantReads, 'groupNames'> = {
    mdmAppliesTo: String(mdm.appliesTo ?? 'none'),
    allowedToJoinType: String(registration.azureADJoin?.allowedToJoin?.['@odata.type'] ?? ''),
    configurationPolicies,
    corporateIdentifiers: identities.value.length,
    dynamicGroups,
    enrollmentConfigurations,
    deploymentProfiles,
    autopilotDevices: devices['@odata.count'] ?? devices.value.length,
  };
  const ids = referencedGroupIds(read);
  const groups = ids.length === 0 ? { value: [] } : await graph('POST', '/v1.0/directoryObjects/getByIds', { ids, types: ['group'] }, o);
  const groupNames = Object.fromEntries(groups.value.map((g: { id: string; displayName: string }) => [g.id, g.displayName]));
  return { reads: { ...read, groupNames }, report };
}

const useStyles = makeStyles({
  tutorials: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(440px, 1fr))', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  card: { padding: tokens.spacingHorizontalL },
  progress: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  steps: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  step: {
    display: 'grid',
    gridTemplateColumns: '28px 1fr auto',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalM} 0`,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  number: {
    width: '24px',
    height: '24px',
    borderRadius: tokens.borderRadiusCircular,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightSemibold,
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground2,
  },
  numberDone: { backgroundColor: tokens.colorPaletteGreenBackground3, color: tokens.colorNeutralForegroundOnBrand },
  numberAttention: { backgroundColor: tokens.colorPaletteRedBackground3, color: tokens.colorNeutralForegroundOnBrand },
  title: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  body: { gridColumn: '2 / 4', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  detail: { color: tokens.colorNeutralForeground3 },
  findings: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  finding: { display: 'grid', gridTemplateColumns: '20px 1fr', columnGap: tokens.spacingHorizontalS },
  error: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  info: { color: tokens.colorBrandForeground1 },
  fix: { color: tokens.colorNeutralForeground2 },
});

const TUTORIALS: readonly { id: Tutorial; title: string; description: string }[] = [
  { id: 'devicePreparation', title: 'Windows Autopilot device preparation', description: 'User-driven Microsoft Entra join: the seven steps of the tutorial.' },
  { id: 'classic', title: 'Windows Autopilot (classic)', description: 'User-driven Microsoft Entra join with the Enrollment Status Page.' },
];

export default function HomePage() {
  const styles = useStyles();
  const { tenant } = useSignedIn();
  const result = useLoad((signal) => readTenant(tenant.tenantId, signal), [tenant.tenantId], { poll: REFRESH_MS });
  const list = result.data ? checklist(result.data.reads, result.data.report.findings) : undefined;

  return (
    <Page
      title="Setup checklist"
      description={`The tutorials' steps in ${tenant.displayName}, checked as you go: what Graph shows and what the pre-flight check finds, every ${REFRESH_MS / 1000} seconds.`}
      actions={
        <Button icon={<ArrowSyncRegular />} onClick={result.reload}>
          Refresh
        </Button>
      }
    >
      <ErrorBar error={result.error} title="Could not check the tenant" />
      {!result.data && !result.error && <Loading label="Checking the tenant…" />}
      {result.data && list && (
        <>
          <PreflightSummary report={result.data.report} />
          <div className={styles.tutorials}>
            {TUTORIALS.map((t) => (
              <TutorialCard key={t.id} title={t.title} description={t.description} steps={list.steps.filter((s) => s.step.tutorial === t.id)} />
            ))}
          </div>
          {list.other.length > 0 && (
            <Card className={styles.card}>
              <CardHeader header={<Subtitle2 as="h2">Other findings</Subtitle2>} />
              <Findings findings={list.other} />
            </Card>
          )}
        </>
      )}
    </Page>
  );
}

function PreflightSummary({ report }: { readonly report: PreflightReport }) {
  const { errors, warnings } = report.summary;
  if (errors === 0 && warnings === 0) {
    return (
      <MessageBar intent="success">
        <MessageBarBody>The pre-flight check finds nothing to fix.</MessageBarBody>
      </MessageBar>
    );
  }
  const parts = [errors && `${errors} ${errors === 1 ? 'error' : 'errors'}`, warnings && `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`].filter(Boolean);
  return (
    <MessageBar intent={errors > 0 ? 'error' : 'warning'}>
      <MessageBarBody>The pre-flight check finds {parts.join(' and ')}: see the steps below.</MessageBarBody>
    </MessageBar>
  );
}

function TutorialCard({ title, description, steps }: { readonly title: string; readonly description: string; readonly steps: readonly StepResult[] }) {
  const styles = useStyles();
  const required = steps.filter((s) => !s.step.optional);
  const done = required.filter((s) => s.status === 'done').length;
  return (
    <Card className={styles.card} aria-label={title}>
      <CardHeader header={<Subtitle2 as="h2">{title}</Subtitle2>} description={<Text size={200}>{description}</Text>} />
      <div className={styles.progress}>
        <ProgressBar value={done / required.length} thickness="large" color={done === required.length ? 'success' : 'brand'} aria-label={`${title} progress`} />
        <Text size={200} style={{ whiteSpace: 'nowrap' }}>
          {done} of {required.length} done
        </Text>
      </div>
      <ol className={styles.steps}>
        {steps.map((s) => (
          <StepRow key={s.step.id} result={s} />
        ))}
      </ol>
    </Card>
  );
}

const STATUS_LABEL: Record<StepStatus, string> = { done: 'Done', attention: 'Needs attention', notStarted: 'Not started' };

function StepRow({ result }: { readonly result: StepResult }) {
  const styles = useStyles();
  const { step, status, detail, findings } = result;
  const screen = routes.find((r) => r.path === step.route);
  return (
    <li className={styles.step} data-step={step.id} data-status={status} aria-label={`Step ${step.number}: ${step.title}: ${STATUS_LABEL[status]}`}>
      <span className={mergeClasses(styles.number, status === 'done' && styles.numberDone, status === 'attention' && styles.numberAttention)}>{step.number}</span>
      <div className={styles.title}>
        <Text weight="semibold">{step.title}</Text>
        <StatusBadge status={status} optional={step.optional} />
      </div>
      {screen && <Link href={href(screen.path)}>{status === 'done' ? `Open ${screen.title}` : `Go to ${screen.title}`}</Link>}
      <div className={styles.body}>
        <Text className={styles.detail} size={200}>
          {detail}{' '}
          <Link href={step.doc} target="_blank" rel="noreferrer">
            Tutorial
          </Link>
        </Text>
        {findings.length > 0 && <Findings findings={findings} />}
      </div>
    </li>
  );
}

function StatusBadge({ status, optional }: { readonly status: StepStatus; readonly optional?: boolean }) {
  if (status === 'done') return <Badge appearance="filled" color="success">Done</Badge>;
  if (status === 'attention') return <Badge appearance="filled" color="danger">Needs attention</Badge>;
  return (
    <Badge appearance="outline" color="informative">
      {optional ? 'Not started (optional)' : 'Not started'}
    </Badge>
  );
}

function Findings({ findings }: { readonly findings: readonly Finding[] }) {
  const styles = useStyles();
  return (
    <ul className={styles.findings}>
      {findings.map((f, i) => (
        <li key={`${f.id}:${f.object.id}:${i}`} className={styles.finding} data-finding={f.id}>
          {f.severity === 'error' ? (
            <ErrorCircleFilled className={styles.error} aria-label="Error" />
          ) : f.severity === 'warning' ? (
            <WarningFilled className={styles.warning} aria-label="Warning" />
          ) : (
            <InfoFilled className={styles.info} aria-label="Information" />
          )}
          <div>
            <Text size={200} block>
              {f.message}
            </Text>
            <Text size={200} className={styles.fix} block>
              Fix: {f.fix}{' '}
              <Link href={f.source} target="_blank" rel="noreferrer">
                Learn more
              </Link>
            </Text>
          </div>
        </li>
      ))}
    </ul>
  );
}
