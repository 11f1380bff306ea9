// A user's details, in a panel over the users list (`#/users?id=…`): the properties the tutorials use and
// the groups the user is a direct member of (GET /v1.0/users/{id}/memberOf), linked to their pages.
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
import { graph, graphAll, useLoad } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { Loading } from '../../components/loading';
import { href } from '../../router';
import { groupTypeLabel, kindOf, membershipTypeLabel, type GroupFacts } from './objects';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, paddingBottom: tokens.spacingVerticalXL },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
});

interface UserDetails {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly mailNickname?: string | null;
  readonly jobTitle?: string | null;
  readonly department?: string | null;
  readonly city?: string | null;
  readonly accountEnabled?: boolean;
  readonly userType?: string | null;
  readonly createdDateTime?: string | null;
}

interface MembershipGroup extends GroupFacts {
  readonly id: string;
  readonly '@odata.type'?: string;
  readonly displayName: string;
}

export interface UserPanelProps {
  /** The user shown; null closes the panel. */
  readonly userId: string | null;
  readonly onClose: () => void;
}

export function UserPanel({ userId, onClose }: UserPanelProps) {
  const styles = useStyles();
  const details = useLoad(
    userId === null
      ? null
      : async (signal) => {
          const [user, memberOf] = await Promise.all([
            graph<UserDetails>('GET', `/v1.0/users/${encodeURIComponent(userId)}?$select=id,displayName,userPrincipalName,mailNickname,jobTitle,department,city,accountEnabled,userType,createdDateTime`, undefined, { signal }),
            graphAll<MembershipGroup>(`/v1.0/users/${encodeURIComponent(userId)}/memberOf`, { signal }),
          ]);
          return { user, groups: memberOf.filter((o) => kindOf(o, 'group') === 'group').sort((a, b) => a.displayName.localeCompare(b.displayName)) };
        },
    [userId],
  );
  const user = details.data?.user;

  return (
    <OverlayDrawer open={userId !== null} position="end" size="medium" onOpenChange={(_e, d) => !d.open && onClose()} aria-label="User details">
      <DrawerHeader>
        <DrawerHeaderTitle action={<Button appearance="subtle" aria-label="Close" icon={<DismissRegular />} onClick={onClose} />}>{user?.displayName ?? 'User'}</DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody className={styles.body}>
        <ErrorBar error={details.error} title="Could not read the user" />
        {details.loading && !details.data && <Loading />}
        {user && details.data && (
          <>
            <dl className={styles.facts}>
              <Fact term="User principal name" value={user.userPrincipalName} />
              <Fact term="Object ID" value={user.id} />
              <Fact term="User type" value={user.userType ?? 'Member'} />
              <Fact term="Job title" value={user.jobTitle} />
              <Fact term="Department" value={user.department} />
              <Fact term="City" value={user.city} />
              <Fact term="Mail nickname" value={user.mailNickname} />
              <Fact term="Created" value={user.createdDateTime ? new Date(user.createdDateTime).toLocaleString() : undefined} />
              <dt className={styles.term}>Account</dt>
              <dd className={styles.value}>
                {user.accountEnabled === false ? <Badge color="danger" appearance="tint">Sign-in blocked</Badge> : <Badge color="success" appearance="tint">Enabled</Badge>}
              </dd>
            </dl>
            <Subtitle2 as="h3">Groups</Subtitle2>
            {details.data.groups.length === 0 ? (
              <Text className={styles.muted}>Not a member of any group.</Text>
            ) : (
              <Table aria-label="Groups of the user" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Name</TableHeaderCell>
                    <TableHeaderCell>Group type</TableHeaderCell>
                    <TableHeaderCell>Membership type</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {details.data.groups.map((g) => (
                    <TableRow key={g.id}>
                      <TableCell>
                        <Link href={href(`/groups?id=${g.id}`)}>{g.displayName}</Link>
                      </TableCell>
                      <TableCell>{groupTypeLabel(g)}</TableCell>
                      <TableCell>{membershipTypeLabel(g)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </>
        )}
      </DrawerBody>
    </OverlayDrawer>
  );
}

function Fact({ term, value }: { readonly term: string; readonly value: string | null | undefined }) {
  const styles = useStyles();
  return (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={styles.value}>{value || '—'}</dd>
    </>
  );
}
