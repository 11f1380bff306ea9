// Scripts: the tenant's Windows PowerShell platform scripts, "Add" (the .ps1 uploaded base64-encoded), and a
// script's details with its assignments to included and excluded groups (`#/scripts?id=<scriptId>`).
import { useState } from 'react';
import { Badge, Button, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { ArrowLeftRegular } from '@fluentui/react-icons/svg/arrow-left';
import { graph, graphAll, useLoad, type GraphList } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { href, navigate, useQuery } from '../router';
import { AddScriptDialog, type Script } from './intune/add-script-dialog';
import { AssignmentsEditor, type AssignmentRow } from './intune/assignments-editor';
import { Properties, formatDate, useFormStyles, useGroups, yesNo, type Target } from './intune/common';

const SCRIPTS = '/beta/deviceManagement/deviceManagementScripts';

export default function ScriptsPage() {
  const id = useQuery().get('id');
  return id ? <ScriptDetails id={id} /> : <ScriptList />;
}

const runAs = (s: Script) => (s.runAsAccount === 'user' ? 'User (logged on credentials)' : 'System');

function ScriptList() {
  const [adding, setAdding] = useState(false);
  const scripts = useLoad((signal) => graphAll<Script>(`${SCRIPTS}?$expand=assignments&$orderby=displayName`, { signal }), []);
  return (
    <Page
      title="Scripts"
      description="PowerShell platform scripts and the groups they run for."
      actions={
        <Button appearance="primary" icon={<AddRegular />} onClick={() => setAdding(true)}>
          Add
        </Button>
      }
    >
      <ErrorBar error={scripts.error} title="Could not read the scripts" />
      {scripts.loading && !scripts.data && <Loading />}
      {scripts.data && (
        <>
          <Table aria-label="Scripts" size="small" style={{ tableLayout: 'auto' }}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>File</TableHeaderCell>
                <TableHeaderCell>Runs as</TableHeaderCell>
                <TableHeaderCell>Assigned</TableHeaderCell>
                <TableHeaderCell>Last modified</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {scripts.data.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>
                    <Link href={href(`/scripts?id=${encodeURIComponent(s.id)}`)}>{s.displayName}</Link>
                  </TableCell>
                  <TableCell>{s.fileName ?? ''}</TableCell>
                  <TableCell>{runAs(s)}</TableCell>
                  <TableCell>
                    {(s.assignments?.length ?? 0) > 0 ? <Badge appearance="tint" color="success">Yes</Badge> : <Badge appearance="tint" color="informative">No</Badge>}
                  </TableCell>
                  <TableCell>{formatDate(s.lastModifiedDateTime)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Text size={200}>{scripts.data.length === 0 ? 'No scripts yet.' : `${scripts.data.length} ${scripts.data.length === 1 ? 'script' : 'scripts'}.`}</Text>
        </>
      )}
      <AddScriptDialog open={adding} onClose={() => setAdding(false)} onCreated={(s) => navigate(`/scripts?id=${encodeURIComponent(s.id)}`)} />
    </Page>
  );
}

function ScriptDetails({ id }: { readonly id: string }) {
  const styles = useFormStyles();
  const groups = useGroups();
  const script = useLoad(
    async (signal) => {
      const path = `${SCRIPTS}/${encodeURIComponent(id)}`;
      const [found, assignments] = await Promise.all([
        graph<Script>('GET', `${path}?$select=id,displayName,description,fileName,runAsAccount,runAs32Bit,enforceSignatureCheck,createdDateTime,lastModifiedDateTime`, undefined, { signal }),
        graph<GraphList<{ target: Target }>>('GET', `${path}/assignments`, undefined, { signal }),
      ]);
      return { script: found, assignments: assignments.value };
    },
    [id],
  );
  const s = script.data?.script;

  const save = async (rows: readonly AssignmentRow[]) => {
    await graph('POST', `${SCRIPTS}/${encodeURIComponent(id)}/assign`, {
      deviceManagementScriptAssignments: rows.map((r) => ({ '@odata.type': '#microsoft.graph.deviceManagementScriptAssignment', target: r.target })),
    });
    script.reload();
  };

  return (
    <Page
      title={s?.displayName ?? 'Script'}
      description="Windows PowerShell script"
      actions={
        <Button icon={<ArrowLeftRegular />} onClick={() => navigate('/scripts')}>
          All scripts
        </Button>
      }
    >
      <ErrorBar error={script.error} title="Could not read the script" />
      <ErrorBar error={groups.error} title="Could not read the groups" />
      {(script.loading || groups.loading) && !(script.data && groups.data) && <Loading />}
      {s && script.data && groups.data && (
        <>
          <Properties
            label="Script settings"
            items={[
              ['Name', s.displayName],
              ['Description', s.description ?? ''],
              ['Script file', s.fileName ?? ''],
              ['Run this script using the logged on credentials', yesNo(s.runAsAccount === 'user')],
              ['Enforce script signature check', yesNo(s.enforceSignatureCheck)],
              ['Run script in 64 bit PowerShell Host', yesNo(s.runAs32Bit === false)],
              ['Created', formatDate(s.createdDateTime)],
              ['Last modified', formatDate(s.lastModifiedDateTime)],
            ]}
          />
          <AssignmentsEditor rows={script.data.assignments} groups={groups.data} save={save} />
          <Text size={200} className={styles.muted}>
            Device preparation runs a script during setup when it is assigned to the policy's device group and runs as System.
          </Text>
        </>
      )}
    </Page>
  );
}
