// Pickers the monitor and the simulator share: a user found through Graph ($search on name and UPN, as the
// portal's pickers do) and a simulated device from the control API's list.
import { useEffect, useMemo, useState } from 'react';
import { Combobox, Option } from '@fluentui/react-components';
import { control, graph, useLoad, type GraphList } from '../../api';
import type { List, SimulatedDevice } from './types';

interface UserHit {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export interface UserPickerProps {
  /** The user principal name typed or chosen. */
  readonly value: string;
  readonly onChange: (upn: string) => void;
  readonly label: string;
  readonly placeholder?: string;
}

/** A user principal name: typed, or chosen from the users Graph finds for what is typed. */
export function UserPicker({ value, onChange, label, placeholder = 'Search by name or UPN' }: UserPickerProps) {
  const q = useDebounced(value.replace(/["\\]/g, '').trim(), 250);
  const users = useLoad(
    (signal) =>
      q
        ? graph<GraphList<UserHit>>('GET', `/v1.0/users?$search=${encodeURIComponent(`"displayName:${q}" OR "userPrincipalName:${q}"`)}&$select=id,displayName,userPrincipalName&$top=20`, undefined, {
            signal,
            headers: { ConsistencyLevel: 'eventual' },
          })
        : graph<GraphList<UserHit>>('GET', '/v1.0/users?$select=id,displayName,userPrincipalName&$top=20', undefined, { signal }),
    [q],
  );
  const options = users.data?.value ?? [];
  return (
    <Combobox
      aria-label={label}
      freeform
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onOptionSelect={(_e, d) => d.optionValue && onChange(d.optionValue)}
      style={{ minWidth: 280 }}
    >
      {options.map((u) => (
        <Option key={u.id} value={u.userPrincipalName} text={u.userPrincipalName}>
          {u.displayName} ({u.userPrincipalName})
        </Option>
      ))}
    </Combobox>
  );
}

/** Every simulated device of the tenant (pages of 1,000 by ordinal), for pickers. */
export async function listDevices(tenantId: string, signal?: AbortSignal, max = 20_000): Promise<SimulatedDevice[]> {
  const out: SimulatedDevice[] = [];
  for (let after: number | undefined; out.length < max; ) {
    const page = await control<List<SimulatedDevice>>('GET', `/tenants/${encodeURIComponent(tenantId)}/devices?top=1000${after !== undefined ? `&after=${after}` : ''}`, undefined, { signal });
    out.push(...page.value);
    if (page.value.length < 1000) break;
    after = page.value[page.value.length - 1]!.ordinal;
  }
  return out;
}

export interface DevicePickerProps {
  readonly tenantId: string;
  /** Serial number (or id) typed or chosen. */
  readonly value: string;
  readonly onChange: (serialOrId: string) => void;
  readonly label: string;
}

/** A simulated device by serial number: typed, or chosen from the tenant's devices that match. */
export function DevicePicker({ tenantId, value, onChange, label }: DevicePickerProps) {
  const devices = useLoad((signal) => listDevices(tenantId, signal), [tenantId]);
  const matches = useMemo(() => {
    const q = value.trim().toLowerCase();
    return (devices.data ?? []).filter((d) => !q || d.serialNumber.toLowerCase().includes(q) || d.model.toLowerCase().includes(q)).slice(0, 50);
  }, [devices.data, value]);
  return (
    <Combobox
      aria-label={label}
      freeform
      placeholder={devices.data ? `Serial number (${devices.data.length.toLocaleString('en-US')} devices)` : 'Serial number'}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onOptionSelect={(_e, d) => d.optionValue && onChange(d.optionValue)}
      style={{ minWidth: 240 }}
    >
      {matches.map((d) => (
        <Option key={d.id} value={d.serialNumber} text={d.serialNumber}>
          {`${d.serialNumber} · ${d.model} · ${d.state === 'oobe' ? 'at OOBE' : d.state === 'settingUp' ? 'setting up' : 'at the desktop'}`}
        </Option>
      ))}
    </Combobox>
  );
}
