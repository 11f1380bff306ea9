// The simulated device's own screen, drawn like Windows' out-of-box experience on a dark blue full-bleed
// panel (behaviour.md §1.8, §5.4): the work or school sign-in, "Setting up for work or school" with its round
// percentage, the Enrollment Status Page with its three categories, the failure screen with the custom
// message and exactly the buttons `screen.actions` offers, "Required setup complete", and the desktop.
import { useState, type FormEvent, type ReactNode } from 'react';
import { Button, FluentProvider, Input, Link, Spinner, makeStyles, webDarkTheme } from '@fluentui/react-components';
import { CheckmarkCircleFilled } from '@fluentui/react-icons/svg/checkmark-circle';
import { ErrorCircleFilled } from '@fluentui/react-icons/svg/error-circle';
import { ACTION_LABEL } from '../monitor/format';
import type { Deployment, Screen, UserAction } from '../monitor/types';

const SEGOE = "'Segoe UI Variable Display', 'Segoe UI', system-ui, sans-serif";

const useStyles = makeStyles({
  frame: {
    position: 'relative',
    height: '520px',
    borderRadius: '10px',
    overflow: 'hidden',
    border: '10px solid #1b1b1f',
    boxShadow: '0 8px 24px rgba(0,0,0,0.25)',
    backgroundColor: '#1b1b1f',
  },
  panel: {
    position: 'absolute',
    inset: 0,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: '18px',
    padding: '32px 48px',
    boxSizing: 'border-box',
    color: '#ffffff',
    fontFamily: SEGOE,
    textAlign: 'center',
    backgroundImage: 'linear-gradient(160deg, #0b2a5c 0%, #0f3b7d 55%, #13479a 100%)',
  },
  provider: { backgroundColor: 'transparent', position: 'absolute', inset: 0 },
  title: { margin: 0, fontSize: '30px', fontWeight: 300, lineHeight: '38px', letterSpacing: '0.2px' },
  subtitle: { margin: 0, fontSize: '15px', fontWeight: 400, opacity: 0.85, maxWidth: '560px', lineHeight: '22px' },
  message: { margin: 0, fontSize: '16px', maxWidth: '560px', lineHeight: '24px' },
  code: { fontSize: '13px', opacity: 0.75, fontFamily: 'Consolas, monospace' },
  actions: { display: 'flex', gap: '12px', flexWrap: 'wrap', justifyContent: 'center', marginTop: '8px' },
  form: { display: 'flex', flexDirection: 'column', gap: '12px', width: '340px', textAlign: 'left' },
  label: { fontSize: '13px', opacity: 0.9 },
  ringText: { fontSize: '26px', fontWeight: 300, fill: '#ffffff', fontFamily: SEGOE },
  categories: { display: 'flex', flexDirection: 'column', gap: '14px', width: '440px', textAlign: 'left' },
  category: { display: 'grid', gridTemplateColumns: '28px 1fr', columnGap: '10px', alignItems: 'start' },
  categoryName: { fontSize: '16px', fontWeight: 600 },
  categoryStatus: { fontSize: '13px', opacity: 0.85 },
  ok: { color: '#6ccb5f', fontSize: '22px' },
  bad: { color: '#ff99a4', fontSize: '22px' },
  waiting: { width: '18px', height: '18px', borderRadius: '50%', border: '2px solid rgba(255,255,255,0.5)', marginTop: '2px', boxSizing: 'border-box' },
  errorGlyph: { fontSize: '44px', color: '#ff99a4' },
  corner: { position: 'absolute', left: '16px', bottom: '12px', fontSize: '12px', opacity: 0.7 },
  desktop: {
    position: 'absolute',
    inset: 0,
    backgroundColor: '#0a1d45',
    backgroundImage:
      'radial-gradient(ellipse 60% 70% at 55% 60%, rgba(76,160,255,0.95) 0%, rgba(32,104,214,0.7) 35%, rgba(10,29,69,0) 70%), radial-gradient(ellipse 40% 50% at 35% 45%, rgba(120,200,255,0.55) 0%, rgba(10,29,69,0) 70%)',
  },
  taskbar: {
    position: 'absolute',
    left: 0,
    right: 0,
    bottom: 0,
    height: '44px',
    backgroundColor: 'rgba(238,242,248,0.88)',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    gap: '10px',
    color: '#1b1b1f',
  },
  taskIcon: { width: '26px', height: '26px', borderRadius: '5px', backgroundColor: 'rgba(0,0,0,0.08)' },
  tray: { position: 'absolute', right: '14px', top: '6px', fontSize: '11px', textAlign: 'right', lineHeight: '15px', fontFamily: SEGOE },
  toast: {
    position: 'absolute',
    right: '16px',
    bottom: '60px',
    width: '300px',
    padding: '14px 16px',
    borderRadius: '8px',
    backgroundColor: 'rgba(32,32,36,0.92)',
    color: '#ffffff',
    fontFamily: SEGOE,
    fontSize: '13px',
    textAlign: 'left',
  },
});

/** A round indicator with the percentage in the middle, as device preparation shows it. */
function ProgressRing({ percentage }: { readonly percentage: number }) {
  const styles = useStyles();
  const r = 52;
  const c = 2 * Math.PI * r;
  const p = Math.max(0, Math.min(100, percentage));
  return (
    <svg width="132" height="132" viewBox="0 0 132 132" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={p} aria-label="Setup progress">
      <circle cx="66" cy="66" r={r} style={{ fill: 'none', stroke: 'rgba(255,255,255,0.22)' }} strokeWidth="6" />
      <circle
        cx="66"
        cy="66"
        r={r}
        style={{ fill: 'none', stroke: '#ffffff', transition: 'stroke-dashoffset 0.4s' }}
        strokeWidth="6"
        strokeLinecap="round"
        strokeDasharray={c}
        strokeDashoffset={c * (1 - p / 100)}
        transform="rotate(-90 66 66)"
      />
      <text x="66" y="75" textAnchor="middle" className={styles.ringText}>
        {p}%
      </text>
    </svg>
  );
}

const CATEGORY_STATUS: Readonly<Record<string, string>> = {
  complete: 'Complete',
  inProgress: 'Working on it…',
  waiting: 'Waiting for previous step',
  identifying: 'Identifying…',
  failed: 'Error',
};

function Categories({ categories }: { readonly categories: NonNullable<Screen['categories']> }) {
  const styles = useStyles();
  return (
    <div className={styles.categories}>
      {categories.map((c) => (
        <div key={c.name} className={styles.category} data-category={c.name} data-status={c.status}>
          {c.status === 'complete' ? (
            <CheckmarkCircleFilled className={styles.ok} />
          ) : c.status === 'failed' ? (
            <ErrorCircleFilled className={styles.bad} />
          ) : c.status === 'waiting' ? (
            <span className={styles.waiting} />
          ) : (
            <Spinner size="extra-tiny" appearance="inverted" />
          )}
          <div>
            <div className={styles.categoryName}>{c.name}</div>
            <div className={styles.categoryStatus}>
              {CATEGORY_STATUS[c.status] ?? c.status}
              {c.detail ? ` · ${c.detail}` : ''}
            </div>
          </div>
        </div>
      ))}
    </div>
  );
}

export interface SignInValues {
  readonly userPrincipalName: string;
  readonly password: string;
}

export interface OobeScreenProps {
  /** The device's current deployment; undefined: nobody has signed in since the last reset. */
  readonly deployment: Deployment | undefined;
  /** The device waits at the out-of-box experience (a new or reset device, or after a refused sign-in). */
  readonly atOobe: boolean;
  readonly onSignIn: (values: SignInValues) => Promise<void>;
  readonly onAction: (action: UserAction) => Promise<void>;
  /** A request under way (a button pressed): buttons wait. */
  readonly busy: boolean;
  /** The tenant's now, for the taskbar clock. */
  readonly now?: string;
  readonly defaultUser?: string;
}

export function OobeScreen({ deployment, atOobe, onSignIn, onAction, busy, now, defaultUser }: OobeScreenProps) {
  const styles = useStyles();
  const screen = deployment?.screen;
  // A refused sign-in shows its error until the user goes back to the sign-in page.
  const [dismissed, setDismissed] = useState<string | undefined>();
  const showError = screen?.kind === 'error' && dismissed !== deployment?.id;
  let kind = atOobe && !showError ? 'signIn' : (screen?.kind ?? 'signIn');
  if (kind === 'oobe') kind = 'signIn';

  let content: ReactNode;
  switch (kind) {
    case 'signIn':
      content = <SignInPage onSignIn={onSignIn} busy={busy} defaultUser={defaultUser} />;
      break;
    case 'error':
      content = (
        <>
          <ErrorCircleFilled className={styles.errorGlyph} />
          <h2 className={styles.title}>{screen!.title}</h2>
          <p className={styles.message}>{screen!.message}</p>
          {screen!.errorCode && <span className={styles.code}>Error code: {screen!.errorCode}</span>}
          <div className={styles.actions}>
            <Button appearance="primary" onClick={() => setDismissed(deployment!.id)}>
              Back
            </Button>
          </div>
        </>
      );
      break;
    case 'settingUp':
      content = (
        <>
          <h2 className={styles.title}>{screen!.title}</h2>
          <ProgressRing percentage={screen!.progressPercentage ?? 0} />
          <p className={styles.subtitle}>Your device is being set up with the apps and settings your organization requires. This might take a while.</p>
        </>
      );
      break;
    case 'enrollmentStatusPage':
      content = (
        <>
          <h2 className={styles.title}>{screen!.title}</h2>
          <p className={styles.subtitle}>This could take a while. Your device is being set up with the settings and apps your organization requires.</p>
          <Categories categories={screen!.categories ?? []} />
        </>
      );
      break;
    case 'working':
      content = (
        <>
          <Spinner size="large" appearance="inverted" />
          <h2 className={styles.title}>{screen!.title}</h2>
        </>
      );
      break;
    case 'failure':
      content = (
        <>
          <h2 className={styles.title}>{screen!.title}</h2>
          {screen!.categories ? <Categories categories={screen!.categories} /> : <ErrorCircleFilled className={styles.errorGlyph} />}
          <p className={styles.message} data-testid="failure-message">
            {screen!.message}
          </p>
          {screen!.errorCode && <span className={styles.code}>Error code: {screen!.errorCode}</span>}
          <Actions actions={screen!.actions.filter((a) => a !== 'collectLogs' || !screen!.diagnosticsLink)} onAction={onAction} busy={busy} />
          {screen!.diagnosticsLink && screen!.actions.includes('collectLogs') && (
            <Link appearance="subtle" inline={false} disabled={busy} onClick={() => void onAction('collectLogs')} style={{ color: '#ffffff', textDecorationLine: 'underline' }}>
              {ACTION_LABEL.collectLogs}
            </Link>
          )}
          {deployment!.logsCollected && <span className={styles.code}>Diagnostic logs were collected.</span>}
        </>
      );
      break;
    case 'requiredSetupComplete':
      content = (
        <>
          <CheckmarkCircleFilled className={styles.ok} style={{ fontSize: 44 }} />
          <h2 className={styles.title}>{screen!.title}</h2>
          <p className={styles.subtitle}>{screen!.message}</p>
          <Actions actions={screen!.actions} onAction={onAction} busy={busy} />
        </>
      );
      break;
    case 'desktop':
      content = <Desktop user={deployment!.userPrincipalName} now={now} continuedAnyway={deployment!.continuedAnyway} />;
      break;
    default:
      content = <h2 className={styles.title}>{screen?.title ?? kind}</h2>;
  }

  return (
    <div className={styles.frame}>
      <FluentProvider theme={webDarkTheme} className={styles.provider}>
        <div className={styles.panel} role="region" aria-label="Device screen" data-screen={kind} aria-live="polite">
          {content}
          {kind !== 'desktop' && deployment && !atOobe && <span className={styles.corner}>{deployment.userPrincipalName}</span>}
        </div>
      </FluentProvider>
    </div>
  );
}

function Actions({ actions, onAction, busy }: { readonly actions: readonly UserAction[]; readonly onAction: (a: UserAction) => Promise<void>; readonly busy: boolean }) {
  const styles = useStyles();
  if (actions.length === 0) return null;
  return (
    <div className={styles.actions}>
      {actions.map((a, i) => (
        <Button key={a} appearance={i === 0 ? 'primary' : 'secondary'} disabled={busy} onClick={() => void onAction(a)}>
          {ACTION_LABEL[a]}
        </Button>
      ))}
    </div>
  );
}

function SignInPage({ onSignIn, busy, defaultUser = '' }: { readonly onSignIn: (v: SignInValues) => Promise<void>; readonly busy: boolean; readonly defaultUser?: string }) {
  const styles = useStyles();
  const [upn, setUpn] = useState(defaultUser);
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (upn.trim()) void onSignIn({ userPrincipalName: upn.trim(), password });
  };
  return (
    <>
      <h2 className={styles.title}>Let's set things up for your work or school</h2>
      <p className={styles.subtitle}>You'll use this info to sign in to your devices.</p>
      <form className={styles.form} onSubmit={submit} aria-label="Work or school sign-in">
        <label className={styles.label} htmlFor="oobe-upn">
          Email
        </label>
        <Input id="oobe-upn" appearance="underline" placeholder="someone@example.com" value={upn} onChange={(_e, d) => setUpn(d.value)} autoComplete="off" />
        <label className={styles.label} htmlFor="oobe-password">
          Password
        </label>
        <Input id="oobe-password" appearance="underline" type="password" value={password} onChange={(_e, d) => setPassword(d.value)} autoComplete="off" />
        <div className={styles.actions} style={{ justifyContent: 'flex-end' }}>
          <Button appearance="primary" type="submit" disabled={busy || !upn.trim()}>
            Next
          </Button>
        </div>
      </form>
    </>
  );
}

function Desktop({ user, now, continuedAnyway }: { readonly user: string; readonly now?: string; readonly continuedAnyway: boolean }) {
  const styles = useStyles();
  const time = now ? now.slice(11, 16) : '';
  const date = now ? `${Number(now.slice(5, 7))}/${Number(now.slice(8, 10))}/${now.slice(0, 4)}` : '';
  return (
    <div className={styles.desktop} aria-label="Desktop">
      <div className={styles.toast}>
        <strong>Welcome</strong>
        <div>
          {user} is signed in.
          {continuedAnyway ? ' Setup did not finish: some apps may be missing.' : ' Remaining apps keep installing in the background.'}
        </div>
      </div>
      <div className={styles.taskbar}>
        <svg width="26" height="26" viewBox="0 0 26 26" aria-label="Start">
          <rect x="3" y="3" width="9.5" height="9.5" style={{ fill: '#0078d4' }} />
          <rect x="13.5" y="3" width="9.5" height="9.5" style={{ fill: '#0078d4' }} />
          <rect x="3" y="13.5" width="9.5" height="9.5" style={{ fill: '#0078d4' }} />
          <rect x="13.5" y="13.5" width="9.5" height="9.5" style={{ fill: '#0078d4' }} />
        </svg>
        <span className={styles.taskIcon} />
        <span className={styles.taskIcon} />
        <span className={styles.taskIcon} />
        <span className={styles.taskIcon} />
        <span className={styles.tray}>
          {time}
          <br />
          {date}
        </span>
      </div>
    </div>
  );
}
