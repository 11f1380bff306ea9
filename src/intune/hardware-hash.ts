// The Windows Autopilot hardware hash: an opaque blob the device reports (`MDM_DevDetail_Ext01.DeviceHardwareData`)
// that Graph carries as `hardwareIdentifier`, an Edm.Binary in base64 (graph-api.md §6.2). Intune decodes
// manufacturer and model from a real hash; Tarmac cannot, so simulated devices carry a hash Tarmac writes
// itself (a marker and the facts as JSON, base64), which it decodes the way Intune decodes a real one.

const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const SIMULATED_MARKER = 'TARMAC-HWID/1 ';
/** The first 12 bytes of the marker always encode to these 16 characters: a cheap test before decoding. */
const MARKER_PREFIX = Buffer.from(SIMULATED_MARKER, 'utf8').toString('base64').slice(0, 16);

/** An Edm.Binary literal: standard base64 with padding (whitespace is not allowed). */
export function isBase64(value: string): boolean {
  return value.length % 4 === 0 && BASE64_CHARS.test(value);
}

/**
 * The message Graph gives for a value that is not base64, quoted from the service
 * (behaviour.md §5.1: "Cannot convert the literal '[DEVICEHASH]' to the expected type 'Edm.Binary'").
 */
export function notBinaryMessage(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return `Cannot convert the literal '${shown}' to the expected type 'Edm.Binary'.`;
}

export interface HardwareFacts {
  readonly manufacturer: string;
  readonly model: string;
  readonly serialNumber: string;
}

/** A hardware hash for a simulated device, which Tarmac decodes on import (manufacturer, model, serial). */
export function simulatedHardwareHash(facts: HardwareFacts): string {
  const json = JSON.stringify({ manufacturer: facts.manufacturer, model: facts.model, serialNumber: facts.serialNumber });
  return Buffer.from(SIMULATED_MARKER + json, 'utf8').toString('base64');
}

/** The facts in a hash Tarmac wrote, or undefined for any other hash (a real device's, or random bytes). */
export function decodeHardwareHash(hash: string): HardwareFacts | undefined {
  if (!hash.startsWith(MARKER_PREFIX) || hash.length > 4096 || !isBase64(hash)) return undefined;
  const text = Buffer.from(hash, 'base64').toString('utf8');
  if (!text.startsWith(SIMULATED_MARKER)) return undefined;
  try {
    const facts = JSON.parse(text.slice(SIMULATED_MARKER.length)) as Record<string, unknown>;
    if (typeof facts.manufacturer !== 'string' || typeof facts.model !== 'string' || typeof facts.serialNumber !== 'string') return undefined;
    return { manufacturer: facts.manufacturer, model: facts.model, serialNumber: facts.serialNumber };
  } catch {
    return undefined;
  }
}
