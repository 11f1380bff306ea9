// The bar across the top: the product name, the tenant (a picker: another tenant means signing in to it)
// and the signed-in user with sign-out.
import {
  Avatar,
  Button,
  Menu,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { BuildingRegular } from '@fluentui/react-icons/svg/building';
import { CheckmarkRegular } from '@fluentui/react-icons/svg/checkmark';
import { SignOutRegular } from '@fluentui/react-icons/svg/sign-out';
import { useControl } from '../api';
import { href } from '../router';
import { signOut, useSignedIn, type Tenant } from '../session';

const useStyles = makeStyles({
  header: {
    gridArea: 'header',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `0 ${tokens.spacingHorizontalM} 0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackgroundInverted,
    color: tokens.colorNeutralForegroundInverted,
  },
  product: {
    color: tokens.colorNeutralForegroundInverted,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase400,
    textDecorationLine: 'none',
    ':hover': { textDecorationLine: 'underline' },
  },
  spacer: { flexGrow: 1 },
  button: {
    color: tokens.colorNeutralForegroundInverted,
    backgroundColor: tokens.colorSubtleBackgroundInverted,
    ':hover': { color: tokens.colorNeutralForegroundInvertedHover, backgroundColor: tokens.colorSubtleBackgroundInvertedHover },
    ':hover:active': { color: tokens.colorNeutralForegroundInvertedPressed, backgroundColor: tokens.colorSubtleBackgroundInvertedPressed },
  },
  who: { display: 'flex', flexDirection: 'column', alignItems: 'flex-end', lineHeight: tokens.lineHeightBase200 },
  upn: { fontSize: tokens.fontSizeBase200, opacity: 0.8 },
});

export function Header() {
  const styles = useStyles();
  const { tenant, user } = useSignedIn();
  return (
    <header className={styles.header}>
      <a className={styles.product} href={href('/')}>
        Tarmac admin center
      </a>
      <div className={styles.spacer} />
      <TenantPicker current={tenant} buttonClass={styles.button} />
      <Menu positioning="below-end">
        <MenuTrigger disableButtonEnhancement>
          <Button className={styles.button} appearance="subtle" aria-label={`Account: ${user.displayName} (${user.userPrincipalName})`}>
            <span className={styles.who}>
              <Text weight="semibold">{user.displayName}</Text>
              <Text className={styles.upn}>{user.userPrincipalName}</Text>
            </span>
            <Avatar name={user.displayName} size={28} color="colorful" style={{ marginLeft: 8 }} />
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem icon={<SignOutRegular />} onClick={() => signOut()}>
              Sign out
            </MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
    </header>
  );
}

function TenantPicker({ current, buttonClass }: { readonly current: Tenant; readonly buttonClass: string }) {
  // Listed when the menu exists; the key's tenants change rarely.
  const tenants = useControl<{ value: Tenant[] }>('/tenants');
  return (
    <Menu positioning="below-end">
      <MenuTrigger disableButtonEnhancement>
        <Button className={buttonClass} appearance="subtle" icon={<BuildingRegular />} aria-label={`Tenant: ${current.displayName} (${current.domain})`}>
          {current.displayName}
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          <MenuGroup>
            <MenuGroupHeader>Switch tenant (sign in again)</MenuGroupHeader>
            {(tenants.data?.value ?? [current]).map((t) => (
              <MenuItem
                key={t.tenantId}
                icon={t.tenantId === current.tenantId ? <CheckmarkRegular /> : <span />}
                secondaryContent={t.domain}
                onClick={() => t.tenantId !== current.tenantId && signOut(`Sign in to ${t.displayName}.`, t.tenantId)}
              >
                {t.displayName}
              </MenuItem>
            ))}
          </MenuGroup>
          <MenuDivider />
          <MenuItem icon={<SignOutRegular />} onClick={() => signOut()}>
            Sign out
          </MenuItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
