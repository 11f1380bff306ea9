// The tenant's virtual clock: its now, move it forward (+1 min, +10 min, +1 h), set its rate (0 stops it,
// 1 is real time), run the device's deployment to its end, or every deployment until none waits on time.
// GET/POST /_tarmac/tenants/{id}/clock and POST …/deployments/{id}/run.
import { useState } from 'react';
import { Button, Card, CardHeader, Field, SpinButton, Subtitle2, Text, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { FastForwardRegular } from '@fluentui/react-icons/svg/fast-forward';
import { PauseRegular } from '@fluentui/react-icons/svg/pause';
import { PlayRegular } from '@fluentui/react-icons/svg/play';
import { SkipForwardTabRegular } from '@fluentui/react-icons/svg/skip-forward-tab';
import { asApiError, control, type ApiError, type Resource } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { dateTimeText } from '../monitor/format';
import type { ClockView } from '../monitor/types';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  now: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'flex-end' },
  muted: { color: tokens.colorNeutralForeground3 },
});

export interface ClockControlsProps {
  readonly tenantId: string;
  readonly clock: Resource<ClockView>;
  /** The device's running deployment, for "Run to end". */
  readonly deploymentId: string | undefined;
  /** After anything moved: read the device and its deployment again. */
  readonly onMoved: () => void;
}

export function ClockControls({ tenantId, clock, deploymentId, onMoved }: ClockControlsProps) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [rate, setRate] = useState<number | null>(null);
  const base = `/tenants/${encodeURIComponent(tenantId)}`;
  const current = clock.data?.rate;

  const run = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await call();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
      clock.reload();
      onMoved();
    }
  };
  const advance = (seconds: number) => run(() => control('POST', `${base}/clock`, { advanceSeconds: seconds }));
  const setClockRate = (r: number) => run(() => control('POST', `${base}/clock`, { rate: r }));

  return (
    <Card className={styles.card} aria-label="Virtual clock">
      <CardHeader header={<Subtitle2 as="h2">Virtual clock</Subtitle2>} description={<Text size={200}>The tenant's time: setup moves on it.</Text>} />
      <div>
        <div className={styles.now} data-testid="tenant-now">
          {clock.data ? `${dateTimeText(clock.data.now)} UTC` : '…'}
        </div>
        <Text size={200} className={styles.muted}>
          {current === undefined ? '' : current === 0 ? 'Stopped: time moves only when you move it.' : current === 1 ? 'Running in real time.' : `Running ${current}× real time.`}
        </Text>
      </div>
      <div className={styles.row}>
        <Button disabled={busy} onClick={() => void advance(60)}>
          +1 min
        </Button>
        <Button disabled={busy} onClick={() => void advance(600)}>
          +10 min
        </Button>
        <Button disabled={busy} onClick={() => void advance(3600)}>
          +1 h
        </Button>
      </div>
      <div className={styles.row}>
        <Field label="Rate">
          <SpinButton aria-label="Clock rate" min={0} max={100000} step={1} value={rate ?? current ?? 0} onChange={(_e, d) => setRate(d.value ?? (Number.parseFloat(d.displayValue ?? '') || 0))} style={{ width: 100 }} />
        </Field>
        <Button disabled={busy || rate === null} onClick={() => rate !== null && void setClockRate(rate).then(() => setRate(null))}>
          Set rate
        </Button>
        <Tooltip content="Stop the clock (rate 0)" relationship="label">
          <Button disabled={busy || current === 0} icon={<PauseRegular />} onClick={() => void setClockRate(0)} />
        </Tooltip>
        <Tooltip content="Real time (rate 1)" relationship="label">
          <Button disabled={busy || current === 1} icon={<PlayRegular />} onClick={() => void setClockRate(1)} />
        </Tooltip>
        <Tooltip content="60× real time" relationship="label">
          <Button disabled={busy || current === 60} icon={<FastForwardRegular />} onClick={() => void setClockRate(60)} />
        </Tooltip>
      </div>
      <div className={styles.row}>
        <Button appearance="primary" icon={<SkipForwardTabRegular />} disabled={busy || !deploymentId} onClick={() => void run(() => control('POST', `${base}/deployments/${deploymentId}/run`))}>
          Run to end
        </Button>
        <Button disabled={busy} onClick={() => void run(() => control('POST', `${base}/clock`, { runUntilIdle: true }))}>
          Run all until idle
        </Button>
      </div>
      <ErrorBar error={error ?? clock.error} title="The clock did not move" />
    </Card>
  );
}
