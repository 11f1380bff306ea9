// Users: the tenant's users, read through Graph as the signed-in user. Also the worked example of a screen:
// useGraph/useLoad for the data, ErrorBar and Loading for its states, a Fluent table for the list. "New user"
// creates one (POST /v1.0/users); a user's name opens its details (`#/users?id=…`) with the groups it is in.
import { useState } from 'react';
import { Badge, Button, Link, SearchBox, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { PersonAddRegular } from '@fluentui/react-icons/svg/person-add';
import { graph, useLoad, type GraphList } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { href, navigate, useQuery } from '../router';
import { NewUserDialog } from './directory/new-user-dialog';
import { searchQuery } from './directory/objects';
import { UserPanel } from './directory/user-panel';
import { useDebounced } from './directory/use-debounced';

interface User {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly jobTitle?: string | null;
  readonly department?: string | null;
  readonly city?: string | null;
  readonly accountEnabled?: boolean;
}

const PAGE = 100;

const useStyles = makeStyles({
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  search: { width: '320px' },
});

export default function UsersPage() {
  const styles = useStyles();
  const selected = useQuery().get('id');
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 250);
  const select = '$select=id,displayName,userPrincipalName,jobTitle,department,city,accountEnabled';
  const users = useLoad(
    (signal) =>
      graph<GraphList<User>>('GET', `/v1.0/users?${query ? `$search=${searchQuery('user', query)}&` : ''}${select}&$orderby=displayName&$top=${PAGE}`, undefined, {
        signal,
        headers: query ? { ConsistencyLevel: 'eventual' } : {},
      }),
    [query],
  );
  const count = users.data?.value.length ?? 0;

  return (
    <Page
      title="Users"
      description="The tenant's users: who can sign in at the out-of-box experience and be targeted by groups."
      actions={
        <Button appearance="primary" icon={<PersonAddRegular />} onClick={() => setCreating(true)}>
          New user
        </Button>
      }
    >
      <div className={styles.toolbar}>
        <SearchBox className={styles.search} aria-label="Search users" placeholder="Search by name or user principal name" value={search} onChange={(_e, d) => setSearch(d.value)} />
      </div>
      <ErrorBar error={users.error} title="Could not read the users" />
      {users.loading && !users.data && <Loading />}
      {users.data && (
        <>
          <Table aria-label="Users" size="small" style={{ tableLayout: 'auto' }}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Display name</TableHeaderCell>
                <TableHeaderCell>User principal name</TableHeaderCell>
                <TableHeaderCell>Job title</TableHeaderCell>
                <TableHeaderCell>Department</TableHeaderCell>
                <TableHeaderCell>City</TableHeaderCell>
                <TableHeaderCell>Sign-in</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.data.value.map((u) => (
                <TableRow key={u.id}>
                  <TableCell>
                    <Link href={href(`/users?id=${u.id}`)}>{u.displayName}</Link>
                  </TableCell>
                  <TableCell>{u.userPrincipalName}</TableCell>
                  <TableCell>{u.jobTitle ?? ''}</TableCell>
                  <TableCell>{u.department ?? ''}</TableCell>
                  <TableCell>{u.city ?? ''}</TableCell>
                  <TableCell>{u.accountEnabled === false ? <Badge color="danger" appearance="tint">Blocked</Badge> : <Badge color="success" appearance="tint">Allowed</Badge>}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Text size={200}>
            {users.data['@odata.nextLink'] ? `The first ${PAGE} users, by name.` : `${count} ${count === 1 ? 'user' : 'users'}${query ? ` found for "${query}"` : ''}.`}
          </Text>
        </>
      )}
      <NewUserDialog
        open={creating}
        onDismiss={() => setCreating(false)}
        onCreated={(user) => {
          setCreating(false);
          users.reload();
          navigate(`/users?id=${user.id}`);
        }}
      />
      <UserPanel userId={selected} onClose={() => navigate('/users')} />
    </Page>
  );
}
