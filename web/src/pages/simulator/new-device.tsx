// A new simulated device at the out-of-box experience: serial number (drawn from the tenant's seed when left
// empty), manufacturer, model, Windows edition and build. POST /_tarmac/tenants/{id}/devices.
import { useState, type FormEvent } from 'react';
import { Button, Combobox, Dropdown, Field, Input, Option, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { asApiError, control, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import type { SimulatedDevice } from '../monitor/types';

const EDITIONS = ['Enterprise', 'Pro', 'Education', 'ProEducation', 'ProForWorkstations', 'EnterpriseLTSC', 'Home'] as const;
const EDITION_LABEL: Readonly<Record<string, string>> = {
  Enterprise: 'Windows 11 Enterprise',
  Pro: 'Windows 11 Pro',
  Education: 'Windows 11 Education',
  ProEducation: 'Windows 11 Pro Education',
  ProForWorkstations: 'Windows 11 Pro for Workstations',
  EnterpriseLTSC: 'Windows 11 Enterprise LTSC',
  Home: 'Windows 11 Home',
};
const VERSIONS: readonly { value: string; label: string }[] = [
  { value: '10.0.26100.4061', label: 'Windows 11 24H2 (10.0.26100.4061)' },
  { value: '10.0.22631.4460', label: 'Windows 11 23H2 (10.0.22631.4460)' },
  { value: '10.0.22621.2428', label: 'Windows 11 22H2 (10.0.22621.2428)' },
  { value: '10.0.22000.2538', label: 'Windows 11 21H2 (10.0.22000.2538)' },
  { value: '10.0.19045.5131', label: 'Windows 10 22H2 (10.0.19045.5131)' },
];

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

export function NewDeviceForm({ tenantId, onCreated, onCancel }: { readonly tenantId: string; readonly onCreated: (d: SimulatedDevice) => void; readonly onCancel: () => void }) {
  const styles = useStyles();
  const [serial, setSerial] = useState('');
  const [manufacturer, setManufacturer] = useState('Microsoft Corporation');
  const [model, setModel] = useState('Surface Laptop 6');
  const [edition, setEdition] = useState<string>('Enterprise');
  const [version, setVersion] = useState(VERSIONS[0]!.value);
  const [tpm, setTpm] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        ...(serial.trim() ? { serialNumber: serial.trim() } : {}),
        manufacturer: manufacturer.trim() || undefined,
        model: model.trim() || undefined,
        windowsEdition: edition,
        osVersion: version.trim(),
        tpmPresent: tpm,
      };
      onCreated(await control<SimulatedDevice>('POST', `/tenants/${encodeURIComponent(tenantId)}/devices`, body));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label="New device">
      <Field label="Serial number" hint="Empty: one is drawn from the tenant's seed.">
        <Input value={serial} onChange={(_e, d) => setSerial(d.value)} placeholder="TM0000000001" />
      </Field>
      <Field label="Manufacturer">
        <Input value={manufacturer} onChange={(_e, d) => setManufacturer(d.value)} />
      </Field>
      <Field label="Model">
        <Input value={model} onChange={(_e, d) => setModel(d.value)} />
      </Field>
      <Field label="Windows edition">
        <Dropdown value={EDITION_LABEL[edition]} selectedOptions={[edition]} onOptionSelect={(_e, d) => d.optionValue && setEdition(d.optionValue)}>
          {EDITIONS.map((ed) => (
            <Option key={ed} value={ed}>
              {EDITION_LABEL[ed]!}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="OS version">
        <Combobox freeform value={version} onChange={(e) => setVersion(e.target.value)} onOptionSelect={(_e, d) => d.optionValue && setVersion(d.optionValue)}>
          {VERSIONS.map((v) => (
            <Option key={v.value} value={v.value} text={v.value}>
              {v.label}
            </Option>
          ))}
        </Combobox>
      </Field>
      <Switch label="TPM 2.0" checked={tpm} onChange={(_e, d) => setTpm(d.checked)} />
      <ErrorBar error={error} title="Could not create the device" />
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" icon={<AddRegular />} disabled={busy}>
          Create device
        </Button>
        <Button type="button" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
