// Corporate identifiers: the Windows devices known as corporate (manufacturer, model, serial number) with
// their status (Enrolled, Not contacted, …), "Add" to upload a CSV (checked row by row before and after the
// upload), and Delete for the selected identifiers.
import { useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  type BadgeProps,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { DeleteRegular } from '@fluentui/react-icons/svg/delete';
import { asApiError, graph, graphAll, useLoad, type ApiError } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { formatDate } from './intune/common';
import { ImportIdentifiersDialog } from './intune/import-identifiers-dialog';

const IDENTITIES = '/beta/deviceManagement/importedDeviceIdentities';

interface Identity {
  readonly id: string;
  readonly importedDeviceIdentifier: string;
  readonly importedDeviceIdentityType: string;
  readonly description?: string | null;
  readonly enrollmentState?: string;
  readonly platform?: string;
  readonly createdDateTime?: string;
  readonly lastContactedDateTime?: string;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  manufacturerModelSerial: 'Manufacturer, model, and serial number',
  serialNumber: 'Serial number',
  imei: 'IMEI',
  unknown: 'Unknown',
};

const STATES: Readonly<Record<string, readonly [string, BadgeProps['color']]>> = {
  enrolled: ['Enrolled', 'success'],
  notContacted: ['Not contacted', 'informative'],
  pendingReset: ['Pending reset', 'warning'],
  failed: ['Failed', 'danger'],
  blocked: ['Blocked', 'danger'],
  unknown: ['Unknown', 'subtle'],
};

export default function CorporateIdentifiersPage() {
  const identities = useLoad((signal) => graphAll<Identity>(`${IDENTITIES}?$orderby=importedDeviceIdentifier`, { signal }), []);
  const [adding, setAdding] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const list = identities.data ?? [];
  const chosen = list.filter((i) => selected.has(i.id));

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const remove = async () => {
    setConfirming(false);
    setBusy(true);
    setError(undefined);
    try {
      for (const i of chosen) await graph('DELETE', `${IDENTITIES}/${encodeURIComponent(i.id)}`);
      setSelected(new Set());
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
      identities.reload();
    }
  };

  const all = list.length > 0 && chosen.length === list.length;
  return (
    <Page
      title="Corporate identifiers"
      description="Manufacturer, model and serial number of corporate devices, so device preparation treats them as corporate-owned."
      actions={
        <>
          <Button appearance="primary" icon={<AddRegular />} onClick={() => setAdding(true)}>
            Add
          </Button>
          <Button icon={<DeleteRegular />} disabled={chosen.length === 0 || busy} onClick={() => setConfirming(true)}>
            Delete
          </Button>
        </>
      }
    >
      <ErrorBar error={identities.error} title="Could not read the corporate identifiers" />
      <ErrorBar error={error} title="Could not delete the identifiers" />
      {identities.loading && !identities.data && <Loading />}
      {identities.data && (
        <>
          <Table aria-label="Corporate identifiers" size="small" style={{ tableLayout: 'auto' }}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell style={{ width: '44px' }}>
                  <Checkbox
                    aria-label="Select all identifiers"
                    checked={all ? true : chosen.length > 0 ? 'mixed' : false}
                    onChange={() => setSelected(all ? new Set() : new Set(list.map((i) => i.id)))}
                  />
                </TableHeaderCell>
                <TableHeaderCell>Identifier</TableHeaderCell>
                <TableHeaderCell>Type</TableHeaderCell>
                <TableHeaderCell>Details</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Last contacted</TableHeaderCell>
                <TableHeaderCell>Date added</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((i) => {
                const [state, color] = STATES[i.enrollmentState ?? 'unknown'] ?? [i.enrollmentState ?? '', 'subtle'];
                return (
                  <TableRow key={i.id} data-identifier={i.importedDeviceIdentifier}>
                    <TableCell>
                      <Checkbox aria-label={`Select ${i.importedDeviceIdentifier}`} checked={selected.has(i.id)} onChange={(_e, v) => toggle(i.id, v.checked === true)} />
                    </TableCell>
                    <TableCell>{i.importedDeviceIdentifier}</TableCell>
                    <TableCell>{TYPE_NAMES[i.importedDeviceIdentityType] ?? i.importedDeviceIdentityType}</TableCell>
                    <TableCell>{i.description ?? ''}</TableCell>
                    <TableCell>
                      <Badge appearance="tint" color={color}>
                        {state}
                      </Badge>
                    </TableCell>
                    <TableCell>{formatDate(i.lastContactedDateTime)}</TableCell>
                    <TableCell>{formatDate(i.createdDateTime)}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <Text size={200}>
            {list.length === 0
              ? 'No corporate identifiers: every Windows device that enrolls is treated as it would be without them.'
              : `${list.length} ${list.length === 1 ? 'identifier' : 'identifiers'}. Once any Windows identifier exists, a device is corporate only if its manufacturer, model and serial number match one.`}
          </Text>
        </>
      )}
      <ImportIdentifiersDialog
        open={adding}
        onClose={(imported) => {
          setAdding(false);
          if (imported) identities.reload();
        }}
      />
      <Dialog open={confirming} onOpenChange={(_e, v) => setConfirming(v.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>
              Delete {chosen.length} {chosen.length === 1 ? 'identifier' : 'identifiers'}?
            </DialogTitle>
            <DialogContent>Devices with these identifiers that enroll from now on are no longer known as corporate.</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void remove()}>
                Delete
              </Button>
              <Button onClick={() => setConfirming(false)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </Page>
  );
}
