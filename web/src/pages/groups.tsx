// Groups: the tenant's groups, assigned and dynamic, with their type, membership type and number of owners;
// "New group" as the tutorials create one; a group's name opens its page (`#/groups?id=…`): members, owners
// and, for a dynamic group, its rule with the editor and Validate rules.
import { useState } from 'react';
import { Badge, Button, Link, SearchBox, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { PeopleAddRegular } from '@fluentui/react-icons/svg/people-add';
import { graph, useLoad, type GraphList } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { href, navigate, useQuery } from '../router';
import { useSignedIn } from '../session';
import { GroupDetails } from './directory/group-details';
import { NewGroupDialog } from './directory/new-group-dialog';
import { groupTypeLabel, isDynamicGroup, membershipTypeLabel, searchQuery, type GroupFacts } from './directory/objects';
import { useDebounced } from './directory/use-debounced';

interface GroupRow extends GroupFacts {
  readonly id: string;
  readonly displayName: string;
  readonly description?: string | null;
  readonly isAssignableToRole?: boolean | null;
  readonly owners?: readonly { readonly id: string }[];
}

const PAGE = 100;
const SELECT = '$select=id,displayName,description,groupTypes,securityEnabled,mailEnabled,membershipRule,membershipRuleProcessingState,isAssignableToRole&$expand=owners($select=id)';

const useStyles = makeStyles({
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  search: { width: '320px' },
  description: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

export default function GroupsPage() {
  const id = useQuery().get('id');
  return id ? <GroupDetails key={id} groupId={id} /> : <GroupList />;
}

function GroupList() {
  const styles = useStyles();
  const { tenant } = useSignedIn();
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 250);
  const groups = useLoad(
    (signal) =>
      graph<GraphList<GroupRow>>('GET', `/v1.0/groups?${query ? `$search=${searchQuery('group', query)}&` : ''}${SELECT}&$orderby=displayName&$top=${PAGE}`, undefined, {
        signal,
        headers: query ? { ConsistencyLevel: 'eventual' } : {},
      }),
    [query],
  );
  const count = groups.data?.value.length ?? 0;

  return (
    <Page
      title="Groups"
      description="Security groups for users and devices: assigned and dynamic membership, owners, members."
      actions={
        <Button appearance="primary" icon={<PeopleAddRegular />} onClick={() => setCreating(true)}>
          New group
        </Button>
      }
    >
      <div className={styles.toolbar}>
        <SearchBox className={styles.search} aria-label="Search groups" placeholder="Search by name" value={search} onChange={(_e, d) => setSearch(d.value)} />
      </div>
      <ErrorBar error={groups.error} title="Could not read the groups" />
      {groups.loading && !groups.data && <Loading />}
      {groups.data && (
        <>
          <Table aria-label="Groups" size="small" style={{ tableLayout: 'auto' }}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Group type</TableHeaderCell>
                <TableHeaderCell>Membership type</TableHeaderCell>
                <TableHeaderCell>Owners</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {groups.data.value.map((g) => (
                <TableRow key={g.id} data-group={g.displayName}>
                  <TableCell>
                    <div>
                      <Link href={href(`/groups?id=${g.id}`)}>{g.displayName}</Link>
                    </div>
                    {g.description && <div className={styles.description}>{g.description}</div>}
                  </TableCell>
                  <TableCell>
                    {groupTypeLabel(g)}
                    {g.isAssignableToRole && (
                      <Badge appearance="tint" color="informative" style={{ marginLeft: 6 }}>
                        Role-assignable
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    {membershipTypeLabel(g)}
                    {isDynamicGroup(g) && g.membershipRuleProcessingState === 'Paused' && (
                      <Badge appearance="tint" color="warning" style={{ marginLeft: 6 }}>
                        Paused
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>{g.owners?.length ?? 0}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Text size={200}>
            {groups.data['@odata.nextLink'] ? `The first ${PAGE} groups, by name.` : `${count} ${count === 1 ? 'group' : 'groups'}${query ? ` found for "${query}"` : ''}.`}
          </Text>
        </>
      )}
      <NewGroupDialog
        open={creating}
        domain={tenant.domain}
        onDismiss={() => setCreating(false)}
        onCreated={(group) => {
          setCreating(false);
          groups.reload();
          navigate(`/groups?id=${group.id}`);
        }}
      />
    </Page>
  );
}
