// Monitor: the tenant's deployments as Intune reports them, live. Four tabs (the tab is in the address,
// `#/monitor?tab=fleet`): the "Windows Autopilot device preparation deployments" report with its details
// pane, classic Autopilot deployments (Graph's autopilotEvents), the fleet's charts with "Start devices",
// and Explain (what setup will do for a user on a device, and why). One live store of deployments serves
// the report and the fleet, so switching tabs does not read everything again.
import { Suspense, lazy } from 'react';
import { Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { useControl } from '../api';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { navigate, useQuery } from '../router';
import { useSignedIn } from '../session';
import { useDeploymentStore } from './monitor/deployment-store';
import { DevicePreparationReport } from './monitor/device-preparation-report';
import type { ClockView } from './monitor/types';

const ClassicReport = lazy(() => import('./monitor/classic-report').then((m) => ({ default: m.ClassicReport })));
const Fleet = lazy(() => import('./monitor/fleet').then((m) => ({ default: m.Fleet })));
const Explain = lazy(() => import('./monitor/explain').then((m) => ({ default: m.Explain })));

const TABS = {
  deployments: 'Device preparation deployments',
  classic: 'Autopilot deployments (classic)',
  fleet: 'Fleet',
  explain: 'Explain',
} as const;
type TabName = keyof typeof TABS;

const useStyles = makeStyles({
  tabs: { marginTop: `-${tokens.spacingVerticalS}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
});

export default function MonitorPage() {
  const styles = useStyles();
  const { tenant } = useSignedIn();
  const query = useQuery();
  const tab: TabName = (Object.keys(TABS) as TabName[]).find((t) => t === query.get('tab')) ?? 'deployments';
  // The report and the fleet share the live deployments; the other tabs do not need them polled.
  const store = useDeploymentStore(tenant.tenantId, tab === 'deployments' || tab === 'fleet');
  const clock = useControl<ClockView>(`/tenants/${encodeURIComponent(tenant.tenantId)}/clock`, { poll: 2000 });
  const nowMs = clock.data ? Date.parse(clock.data.now) : undefined;
  const openDeployment = (id: string) => navigate(`/monitor?tab=deployments&deployment=${encodeURIComponent(id)}`);

  return (
    <Page title="Monitor" description="Deployments: each device's path through setup, its apps and scripts, as Intune's reports show them — live.">
      <TabList className={styles.tabs} selectedValue={tab} onTabSelect={(_e, d) => navigate(`/monitor?tab=${String(d.value)}`)} aria-label="Monitor views">
        {(Object.keys(TABS) as TabName[]).map((t) => (
          <Tab key={t} value={t}>
            {TABS[t]}
          </Tab>
        ))}
      </TabList>
      <div role="tabpanel" aria-label={TABS[tab]}>
        <Suspense fallback={<Loading />}>
          {tab === 'deployments' && <DevicePreparationReport key={query.get('deployment') ?? ''} tenantId={tenant.tenantId} store={store} nowMs={nowMs} initialDeploymentId={query.get('deployment') ?? undefined} />}
          {tab === 'classic' && <ClassicReport tenantId={tenant.tenantId} />}
          {tab === 'fleet' && <Fleet tenantId={tenant.tenantId} store={store} nowMs={nowMs} />}
          {tab === 'explain' && <Explain tenantId={tenant.tenantId} initialUser={query.get('user') ?? ''} initialDevice={query.get('device') ?? ''} onOpenDeployment={openDeployment} />}
        </Suspense>
      </div>
    </Page>
  );
}
