// Apps: the tenant's Windows apps (type, publisher, assigned), "Add app" for a Win32 app or an MSI, and an
// app's details with its assignments (Required / Available / Uninstall to included or excluded groups).
// The details are the same screen with `?id=` in the hash: `#/apps?id=<appId>`.
import { useState } from 'react';
import { Badge, Button, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { ArrowLeftRegular } from '@fluentui/react-icons/svg/arrow-left';
import { graph, graphAll, useLoad, type GraphList } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { href, navigate, useQuery } from '../router';
import { AddAppDialog } from './intune/add-app-dialog';
import { AssignmentsEditor, type AssignmentRow } from './intune/assignments-editor';
import {
  EXCLUSION_TARGET,
  INTENT_NAMES,
  Properties,
  WIN32_LOB_APP,
  WINDOWS_MSI_APP,
  appTypeName,
  formatDate,
  installContext,
  useFormStyles,
  useGroups,
  yesNo,
  type AppAssignment,
  type AppIntent,
  type MobileApp,
} from './intune/common';

const APPS = '/beta/deviceAppManagement/mobileApps';

export default function AppsPage() {
  const id = useQuery().get('id');
  return id ? <AppDetails id={id} /> : <AppList />;
}

function AppList() {
  const [adding, setAdding] = useState(false);
  const apps = useLoad((signal) => graphAll<MobileApp>(`${APPS}?$orderby=displayName`, { signal }), []);
  return (
    <Page
      title="Apps"
      description="Windows apps (Win32, MSI, Microsoft Store, Microsoft 365 Apps) and their assignments."
      actions={
        <Button appearance="primary" icon={<AddRegular />} onClick={() => setAdding(true)}>
          Add app
        </Button>
      }
    >
      <ErrorBar error={apps.error} title="Could not read the apps" />
      {apps.loading && !apps.data && <Loading />}
      {apps.data && (
        <>
          <Table aria-label="Apps" size="small" style={{ tableLayout: 'auto' }}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Type</TableHeaderCell>
                <TableHeaderCell>Publisher</TableHeaderCell>
                <TableHeaderCell>Assigned</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {apps.data.map((a) => (
                <TableRow key={a.id}>
                  <TableCell>
                    <Link href={href(`/apps?id=${encodeURIComponent(a.id)}`)}>{a.displayName}</Link>
                  </TableCell>
                  <TableCell>{appTypeName(a['@odata.type'])}</TableCell>
                  <TableCell>{a.publisher ?? ''}</TableCell>
                  <TableCell>{a.isAssigned ? <Badge appearance="tint" color="success">Yes</Badge> : <Badge appearance="tint" color="informative">No</Badge>}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Text size={200}>{apps.data.length === 0 ? 'No apps yet: add the apps devices install during setup.' : `${apps.data.length} ${apps.data.length === 1 ? 'app' : 'apps'}.`}</Text>
        </>
      )}
      <AddAppDialog open={adding} onClose={() => setAdding(false)} onCreated={(app) => navigate(`/apps?id=${encodeURIComponent(app.id)}`)} />
    </Page>
  );
}

const INTENTS = (Object.keys(INTENT_NAMES) as AppIntent[]).map((i) => [i, INTENT_NAMES[i]] as const);

function AppDetails({ id }: { readonly id: string }) {
  const styles = useFormStyles();
  const groups = useGroups();
  const app = useLoad(
    async (signal) => {
      const path = `${APPS}/${encodeURIComponent(id)}`;
      const [found, assignments] = await Promise.all([graph<MobileApp>('GET', path, undefined, { signal }), graph<GraphList<AppAssignment>>('GET', `${path}/assignments`, undefined, { signal })]);
      return { app: found, assignments: assignments.value };
    },
    [id],
  );
  const a = app.data?.app;
  const back = (
    <Button icon={<ArrowLeftRegular />} onClick={() => navigate('/apps')}>
      All apps
    </Button>
  );

  const save = async (rows: readonly AssignmentRow[]) => {
    await graph('POST', `${APPS}/${encodeURIComponent(id)}/assign`, {
      mobileAppAssignments: rows.map((r) => ({
        '@odata.type': '#microsoft.graph.mobileAppAssignment',
        intent: r.intent,
        target: r.target,
        settings: (r as AppAssignment).settings ?? null,
      })),
    });
    app.reload();
  };

  return (
    <Page title={a?.displayName ?? 'App'} description={a ? appTypeName(a['@odata.type']) : undefined} actions={back}>
      <ErrorBar error={app.error} title="Could not read the app" />
      <ErrorBar error={groups.error} title="Could not read the groups" />
      {(app.loading || groups.loading) && !(app.data && groups.data) && <Loading />}
      {a && app.data && groups.data && (
        <>
          <Properties label="App information" items={appProperties(a)} />
          <AssignmentsEditor
            rows={app.data.assignments}
            groups={groups.data}
            intents={INTENTS}
            extra={{ title: 'Install context', value: (r) => (r.target['@odata.type'] === EXCLUSION_TARGET ? '' : installContext(a)) }}
            save={save}
          />
          <Text size={200} className={styles.muted}>
            Device preparation installs an app during setup when it is assigned as Required to the policy's device group and installs as System.
          </Text>
        </>
      )}
    </Page>
  );
}

function appProperties(a: MobileApp): [string, string][] {
  const items: [string, string][] = [
    ['Name', a.displayName],
    ['Description', a.description ?? ''],
    ['Publisher', a.publisher ?? ''],
    ['App type', appTypeName(a['@odata.type'])],
  ];
  if (a['@odata.type'] === WIN32_LOB_APP) {
    const rules = (a.rules as { ruleType?: string; path?: string; fileOrFolderName?: string; operationType?: string }[] | undefined) ?? [];
    items.push(
      ['Install command', String(a.installCommandLine ?? '')],
      ['Uninstall command', String(a.uninstallCommandLine ?? '')],
      ['Install behavior', installContext(a)],
      ['Detection rules', rules.filter((r) => r.ruleType === 'detection').map((r) => (r.path ? `File ${r.path}\\${r.fileOrFolderName ?? ''} ${r.operationType ?? ''}` : 'Custom')).join('; ')],
    );
  } else if (a['@odata.type'] === WINDOWS_MSI_APP) {
    items.push(['Product code', String(a.productCode ?? '')], ['Product version', String(a.productVersion ?? '')], ['App install context', a.useDeviceContext === false ? 'User' : 'Device']);
  } else {
    items.push(['Install context', installContext(a)]);
  }
  items.push(['Assigned', yesNo(a.isAssigned)], ['Created', formatDate(a.createdDateTime)], ['Last modified', formatDate(a.lastModifiedDateTime)]);
  return items;
}
