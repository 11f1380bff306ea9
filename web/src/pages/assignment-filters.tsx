// Filters (assignment filters): rules on device properties that narrow an assignment (include) or carve
// devices out of it (exclude). The list, and create/edit with the rule editor that underlines errors as you
// type; Graph's validateFilter on demand.
import { useState } from 'react';
import { Button, Link, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { ArrowClockwiseRegular } from '@fluentui/react-icons/svg/arrow-clockwise';
import { MoreHorizontalRegular } from '@fluentui/react-icons/svg/more-horizontal';
import { graph, graphAll, useLoad } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { FILTERS, FilterForm, platformLabel, type AssignmentFilter } from './autopilot/filter-form';
import { formatDate } from './autopilot/labels';
import { ConfirmDialog, useUiStyles } from './autopilot/ui';

export default function AssignmentFiltersPage() {
  const ui = useUiStyles();
  const filters = useLoad((signal) => graphAll<AssignmentFilter>(FILTERS, { signal }), []);
  const [editing, setEditing] = useState<AssignmentFilter | 'new'>();
  const [deleting, setDeleting] = useState<AssignmentFilter>();
  const list = [...(filters.data ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return (
    <Page
      title="Filters"
      description="Assignment filters: rules on device properties (manufacturer, model, OS version, ownership, enrollment profile…) that narrow an assignment to the devices they match, or leave those out."
      actions={
        <>
          <Button appearance="primary" icon={<AddRegular />} onClick={() => setEditing('new')}>
            Create
          </Button>
          <Button icon={<ArrowClockwiseRegular />} onClick={filters.reload}>
            Refresh
          </Button>
        </>
      }
    >
      <ErrorBar error={filters.error} title="Could not read the filters" />
      {filters.loading && !filters.data && <Loading />}
      {filters.data && (
        <>
          <Table aria-label="Filters" size="small" style={{ tableLayout: 'auto' }}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Filter name</TableHeaderCell>
                <TableHeaderCell>Platform</TableHeaderCell>
                <TableHeaderCell>Rule</TableHeaderCell>
                <TableHeaderCell>Last modified</TableHeaderCell>
                <TableHeaderCell style={{ width: 48 }} />
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((f) => (
                <TableRow key={f.id} data-filter={f.displayName}>
                  <TableCell>
                    <Link as="button" onClick={() => setEditing(f)}>
                      {f.displayName}
                    </Link>
                  </TableCell>
                  <TableCell>{platformLabel(f.platform)}</TableCell>
                  <TableCell>
                    <span className={ui.mono}>{f.rule}</span>
                  </TableCell>
                  <TableCell>{formatDate(f.lastModifiedDateTime)}</TableCell>
                  <TableCell>
                    <Menu>
                      <MenuTrigger disableButtonEnhancement>
                        <Button appearance="subtle" size="small" icon={<MoreHorizontalRegular />} aria-label={`Actions for ${f.displayName}`} />
                      </MenuTrigger>
                      <MenuPopover>
                        <MenuList>
                          <MenuItem onClick={() => setEditing(f)}>Edit</MenuItem>
                          <MenuItem onClick={() => setDeleting(f)}>Delete</MenuItem>
                        </MenuList>
                      </MenuPopover>
                    </Menu>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Text size={200}>{list.length === 0 ? 'No filters yet.' : `${list.length} ${list.length === 1 ? 'filter' : 'filters'}.`}</Text>
        </>
      )}
      <FilterForm open={editing !== undefined} filter={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} onSaved={filters.reload} />
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete ${deleting?.displayName ?? ''}?`}
        confirmLabel="Delete"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await graph('DELETE', `${FILTERS}/${encodeURIComponent(deleting!.id)}`);
          filters.reload();
        }}
      >
        A filter that an assignment still uses cannot be deleted: remove it from the assignment first.
      </ConfirmDialog>
    </Page>
  );
}
