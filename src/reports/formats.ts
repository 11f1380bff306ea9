// How values are written in reports and in Graph: Intune's report timestamps, ISO 8601 durations,
// HRESULTs as signed 32-bit decimals, Graph type names as report app types.

/** 'yyyy-MM-dd HH:mm:ss.fffffff', UTC, as Intune's exports write times (graph-api.md §10.1). */
export function reportDateTime(ms: number | null): string {
  if (ms === null) return '';
  const iso = new Date(ms).toISOString(); // 2025-10-25T18:58:45.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}0000`;
}

/** ISO 8601 with seven fraction digits, as Intune serialises DateTimeOffset values (requestDateTime). */
export const graphDateTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 23)}0000Z`;

/** An Edm.Duration as Graph writes it: PT3M34S, PT1H2M0.5S, PT0S. */
export function isoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const millis = total % 60_000;
  const seconds = millis % 1000 === 0 ? String(millis / 1000) : (millis / 1000).toFixed(3).replace(/0+$/, '');
  let out = 'PT';
  if (hours) out += `${hours}H`;
  if (minutes) out += `${minutes}M`;
  if (millis || out === 'PT') out += `${seconds}S`;
  return out;
}

/** Whole seconds between two instants, never negative. */
export const wholeSeconds = (fromMs: number, toMs: number): number => Math.max(0, Math.round((toMs - fromMs) / 1000));

/** E_FAIL: the result code of a failure whose code is not an HRESULT (an AADSTS code, a reset). */
export const E_FAIL = -2147467259;

/** 0x800705b4 → -2147023436: a result code as Intune's report writes it (signed 32-bit decimal). */
export function signedHresult(code: string | null | undefined): number {
  if (!code) return 0;
  return /^0x[0-9a-f]{1,8}$/i.test(code) ? Number.parseInt(code, 16) | 0 : E_FAIL;
}

/** '#microsoft.graph.officeSuiteApp' → 'OfficeSuiteApp', the AppType Intune's detail report writes. */
export function appTypeName(odataType: string | null): string {
  const name = (odataType ?? '').replace(/^#?microsoft\.graph\./, '');
  return name ? name[0]!.toUpperCase() + name.slice(1) : '';
}
