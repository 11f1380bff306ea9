// Signing in, in two steps: the control key (once per browser; it lists the tenants and is sent only to
// /_tarmac), then a tenant and one of its users. The user's password is exchanged at the tenant's token
// endpoint for a delegated Graph token (OAuth password grant, the tenant's admin application as public client).
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import {
  Button,
  Card,
  Dropdown,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Option,
  Subtitle2,
  Text,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { asApiError, graph, passwordGrant, useControl, type ApiError } from '../api';
import { ErrorBar } from '../components/error-bar';
import { Loading } from '../components/loading';
import { setControlKey, setSignedIn, useSession, type SignedInUser, type Tenant } from '../session';

const useStyles = makeStyles({
  screen: { minHeight: '100%', display: 'flex', alignItems: 'flex-start', justifyContent: 'center', backgroundColor: tokens.colorNeutralBackground2, paddingTop: '10vh', boxSizing: 'border-box' },
  card: { width: '440px', padding: tokens.spacingHorizontalXXL },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  title: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', alignItems: 'center', justifyContent: 'space-between' },
  code: { fontFamily: tokens.fontFamilyMonospace },
});

export function SignIn() {
  const { controlKey, notice } = useSession();
  const styles = useStyles();
  return (
    <div className={styles.screen}>
      <Card className={styles.card}>
        <div className={styles.title}>
          <Title3 as="h1">Tarmac admin center</Title3>
          <Text className={styles.muted}>Windows Autopilot and Intune, simulated</Text>
        </div>
        {notice && (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}
        {controlKey ? <UserForm /> : <ControlKeyForm />}
      </Card>
    </div>
  );
}

function ControlKeyForm() {
  const styles = useStyles();
  const [key, setKey] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) setControlKey(key.trim());
  };
  return (
    <form className={styles.form} onSubmit={submit} aria-labelledby="connect-title">
      <Subtitle2 as="h2" id="connect-title">
        Connect to this Tarmac server
      </Subtitle2>
      <Field
        label="Control key"
        required
        hint={
          <>
            Printed by <span className={styles.code}>tarmac serve</span>, and kept in the data folder's{' '}
            <span className={styles.code}>control-key</span> file. This browser keeps it and sends it only to the control API.
          </>
        }
      >
        <Input type="password" name="controlKey" autoComplete="off" value={key} onChange={(_e, d) => setKey(d.value)} />
      </Field>
      <div className={styles.actions}>
        <span />
        <Button appearance="primary" type="submit" disabled={!key.trim()}>
          Continue
        </Button>
      </div>
    </form>
  );
}

function UserForm() {
  const styles = useStyles();
  const { lastTenantId } = useSession();
  const tenants = useControl<{ value: Tenant[] }>('/tenants');
  const [tenantId, setTenantId] = useState<string | null>(null);
  const [upn, setUpn] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const list = tenants.data?.value ?? [];
  // The last tenant used, else the first (the demo tenant on a new server).
  useEffect(() => {
    if (tenantId === null && list.length > 0) setTenantId(list.find((t) => t.tenantId === lastTenantId)?.tenantId ?? list[0]!.tenantId);
  }, [list, lastTenantId, tenantId]);
  const tenant = list.find((t) => t.tenantId === tenantId);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!tenant?.adminClientId) return;
    setBusy(true);
    setError(undefined);
    try {
      const issued = await passwordGrant(tenant.tenantId, tenant.adminClientId, upn.trim(), password);
      const user = await graph<SignedInUser>('GET', '/v1.0/me?$select=id,displayName,userPrincipalName', undefined, { token: issued.accessToken });
      setSignedIn({ tenant, user: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName }, token: issued.accessToken, expiresAt: Date.now() + issued.expiresIn * 1000 });
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  let body: ReactNode;
  if (tenants.error) body = <ErrorBar error={tenants.error} title="Could not list the tenants" />;
  else if (!tenants.data) body = <Loading label="Reading the tenants…" />;
  else if (list.length === 0) {
    body = (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          This server has no tenant yet. Create one with <span className={styles.code}>POST /_tarmac/tenants</span> or{' '}
          <span className={styles.code}>tarmac demo</span>, then reload.
        </MessageBarBody>
      </MessageBar>
    );
  } else {
    body = (
      <>
        <Field label="Tenant" required>
          <Dropdown
            aria-label="Tenant"
            value={tenant ? `${tenant.displayName} (${tenant.domain})` : ''}
            selectedOptions={tenantId ? [tenantId] : []}
            onOptionSelect={(_e, d) => setTenantId(d.optionValue ?? null)}
          >
            {list.map((t) => (
              <Option key={t.tenantId} value={t.tenantId} text={`${t.displayName} (${t.domain})`}>
                {`${t.displayName} (${t.domain})`}
              </Option>
            ))}
          </Dropdown>
        </Field>
        {tenant && !tenant.adminClientId && (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>This tenant has lost its admin application (Tarmac Admin), which users sign in with here.</MessageBarBody>
          </MessageBar>
        )}
        <Field label="User name" required>
          <Input name="username" autoComplete="username" placeholder={tenant ? `admin@${tenant.domain}` : ''} value={upn} onChange={(_e, d) => setUpn(d.value)} />
        </Field>
        <Field label="Password" required>
          <Input type="password" name="password" autoComplete="current-password" value={password} onChange={(_e, d) => setPassword(d.value)} />
        </Field>
        <ErrorBar error={error} title="Could not sign in" />
        <div className={styles.actions}>
          <Link as="button" type="button" onClick={() => setControlKey(null)}>
            Use another control key
          </Link>
          <Button appearance="primary" type="submit" disabled={busy || !tenant?.adminClientId || !upn.trim() || !password}>
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
        </div>
      </>
    );
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-labelledby="sign-in-title">
      <Subtitle2 as="h2" id="sign-in-title">
        Sign in to a tenant
      </Subtitle2>
      {body}
    </form>
  );
}
