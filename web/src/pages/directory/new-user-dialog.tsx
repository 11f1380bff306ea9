// "New user" (the portal's Create new user): identity (display name, user principal name on the tenant's
// domain, mail nickname, password, account enabled) and properties (job title, department, city), checked
// as the portal checks them, then POST /v1.0/users. Graph's refusals are shown as Graph words them.
import { useState, type FormEvent } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowSyncRegular } from '@fluentui/react-icons/svg/arrow-sync';
import { asApiError, graph, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { useSignedIn } from '../../session';
import { useOpenings, useTouched, validation } from './form';
import { generatePassword, lengthProblem, mailNicknameProblem, passwordProblem, userNameProblem } from './objects';

const useStyles = makeStyles({
  surface: { width: '640px', maxWidth: 'calc(100vw - 48px)' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: tokens.spacingHorizontalM },
  password: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  grow: { flexGrow: 1 },
  domain: { color: tokens.colorNeutralForeground2, whiteSpace: 'nowrap' },
});

export interface CreatedUser {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
}

export interface NewUserDialogProps {
  readonly open: boolean;
  readonly onDismiss: () => void;
  readonly onCreated: (user: CreatedUser) => void;
}

export function NewUserDialog(props: NewUserDialogProps) {
  const styles = useStyles();
  const openings = useOpenings(props.open);
  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onDismiss()} modalType="modal">
      <DialogSurface className={styles.surface} aria-label="New user">
        {props.open && <NewUserForm key={openings} {...props} />}
      </DialogSurface>
    </Dialog>
  );
}

function NewUserForm({ onDismiss, onCreated }: NewUserDialogProps) {
  const styles = useStyles();
  const { tenant } = useSignedIn();
  const [displayName, setDisplayName] = useState('');
  const [userName, setUserName] = useState('');
  const [deriveNickname, setDeriveNickname] = useState(true);
  const [nickname, setNickname] = useState('');
  const [autoPassword, setAutoPassword] = useState(true);
  const [generated, setGenerated] = useState(() => generatePassword());
  const [typedPassword, setTypedPassword] = useState('');
  const [mustChange, setMustChange] = useState(false);
  const [enabled, setEnabled] = useState(true);
  const [jobTitle, setJobTitle] = useState('');
  const [department, setDepartment] = useState('');
  const [city, setCity] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const touched = useTouched();

  const password = autoPassword ? generated : typedPassword;
  const mailNickname = deriveNickname ? userName.trim() : nickname.trim();
  const problems = {
    displayName: displayName.trim() ? lengthProblem('The display name', displayName.trim(), 256) : 'Enter a display name.',
    userName: userNameProblem(userName.trim()),
    mailNickname: deriveNickname ? undefined : mailNicknameProblem(mailNickname),
    password: passwordProblem(password),
    jobTitle: lengthProblem('The job title', jobTitle.trim(), 128),
    department: lengthProblem('The department', department.trim(), 64),
    city: lengthProblem('The city', city.trim(), 128),
  };
  const invalid = Object.values(problems).some(Boolean);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    touched.submit();
    if (invalid) return;
    setBusy(true);
    setError(undefined);
    const optional = (name: string, value: string) => (value.trim() ? { [name]: value.trim() } : {});
    try {
      const user = await graph<CreatedUser>('POST', '/v1.0/users', {
        accountEnabled: enabled,
        displayName: displayName.trim(),
        userPrincipalName: `${userName.trim()}@${tenant.domain}`,
        mailNickname,
        passwordProfile: { password, forceChangePasswordNextSignIn: mustChange },
        ...optional('jobTitle', jobTitle),
        ...optional('department', department),
        ...optional('city', city),
      });
      onCreated(user);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <>
      <form onSubmit={submit} noValidate>
        <DialogBody>
          <DialogTitle>New user</DialogTitle>
          <DialogContent className={styles.form}>
            <Subtitle2 as="h3">Identity</Subtitle2>
            <Field label="Display name" required {...validation(touched.show('displayName', problems.displayName))}>
              <Input value={displayName} onChange={(_e, d) => setDisplayName(d.value)} onBlur={() => touched.touch('displayName')} autoFocus />
            </Field>
            <Field label="User principal name" required hint="The name the user signs in with." {...validation(touched.show('userName', problems.userName))}>
              <Input
                value={userName}
                onChange={(_e, d) => setUserName(d.value)}
                onBlur={() => touched.touch('userName')}
                contentAfter={<span className={styles.domain}>@{tenant.domain}</span>}
              />
            </Field>
            <Checkbox label="Derive the mail nickname from the user principal name" checked={deriveNickname} onChange={(_e, d) => setDeriveNickname(d.checked === true)} />
            {!deriveNickname && (
              <Field label="Mail nickname" required {...validation(touched.show('mailNickname', problems.mailNickname))}>
                <Input value={nickname} onChange={(_e, d) => setNickname(d.value)} onBlur={() => touched.touch('mailNickname')} />
              </Field>
            )}
            <Checkbox label="Auto-generate password" checked={autoPassword} onChange={(_e, d) => setAutoPassword(d.checked === true)} />
            {autoPassword ? (
              <div className={styles.password}>
                <Field className={styles.grow} label="Password" hint="Copy it now: Microsoft Entra does not show it again.">
                  <Input value={generated} readOnly />
                </Field>
                <Button icon={<ArrowSyncRegular />} style={{ marginTop: 26 }} onClick={() => setGenerated(generatePassword())} aria-label="Generate another password" />
              </div>
            ) : (
              <Field
                label="Password"
                required
                hint="8 to 256 characters, with three of: lowercase letters, uppercase letters, numbers, symbols."
                {...validation(touched.show('password', problems.password))}
              >
                <Input type="password" autoComplete="new-password" value={typedPassword} onChange={(_e, d) => setTypedPassword(d.value)} onBlur={() => touched.touch('password')} />
              </Field>
            )}
            <Checkbox label="Require a password change at the first sign-in" checked={mustChange} onChange={(_e, d) => setMustChange(d.checked === true)} />
            <Checkbox label="Account enabled" checked={enabled} onChange={(_e, d) => setEnabled(d.checked === true)} />
            <Subtitle2 as="h3">Properties</Subtitle2>
            <Field label="Job title" {...validation(touched.show('jobTitle', problems.jobTitle))}>
              <Input value={jobTitle} onChange={(_e, d) => setJobTitle(d.value)} onBlur={() => touched.touch('jobTitle')} />
            </Field>
            <div className={styles.row}>
              <Field label="Department" {...validation(touched.show('department', problems.department))}>
                <Input value={department} onChange={(_e, d) => setDepartment(d.value)} onBlur={() => touched.touch('department')} />
              </Field>
              <Field label="City" {...validation(touched.show('city', problems.city))}>
                <Input value={city} onChange={(_e, d) => setCity(d.value)} onBlur={() => touched.touch('city')} />
              </Field>
            </div>
            <ErrorBar error={error} title="Could not create the user" />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create'}
            </Button>
            <Button onClick={onDismiss} disabled={busy}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </form>
    </>
  );
}
