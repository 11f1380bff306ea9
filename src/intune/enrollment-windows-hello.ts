// Windows Hello for Business enrollment settings (deviceEnrollmentWindowsHelloForBusinessConfiguration): the tenant's
// default, and the rules its PIN settings follow.
// Source: Graph v1.0 intune-onboarding-deviceenrollmentwindowshelloforbusinessconfiguration.md ("between 4 and 127,
// inclusive, and less than or equal to the value set for the maximum PIN"; previous PINs 0–50; expiry 0–730 days).
import { intuneBadRequest } from './errors.js';

const ENABLEMENT = ['notConfigured', 'enabled', 'disabled'];
const PIN_USAGE = ['allowed', 'required', 'disallowed'];

/** The default a new tenant serves (Windows Hello not configured by Intune). */
export function defaultWindowsHelloSettings(): Record<string, unknown> {
  return {
    state: 'notConfigured',
    pinMinimumLength: 6,
    pinMaximumLength: 127,
    pinUppercaseCharactersUsage: 'disallowed',
    pinLowercaseCharactersUsage: 'disallowed',
    pinSpecialCharactersUsage: 'disallowed',
    securityDeviceRequired: false,
    unlockWithBiometricsEnabled: true,
    remotePassportEnabled: true,
    pinPreviousBlockCount: 0,
    pinExpirationInDays: 0,
    enhancedBiometricsState: 'notConfigured',
    securityKeyForSignIn: 'notConfigured',
    enhancedSignInSecurity: 0,
  };
}

export function checkWindowsHello(data: Record<string, unknown>): void {
  for (const name of ['state', 'enhancedBiometricsState', 'securityKeyForSignIn']) oneOf(data, name, ENABLEMENT);
  for (const name of ['pinUppercaseCharactersUsage', 'pinLowercaseCharactersUsage', 'pinSpecialCharactersUsage']) oneOf(data, name, PIN_USAGE);
  const min = range(data, 'pinMinimumLength', 4, 127);
  const max = range(data, 'pinMaximumLength', 4, 127);
  if (min !== undefined && max !== undefined && min > max) throw intuneBadRequest('The minimum PIN length is greater than the maximum.', 'pinMinimumLength');
  range(data, 'pinPreviousBlockCount', 0, 50);
  range(data, 'pinExpirationInDays', 0, 730);
}

function oneOf(data: Record<string, unknown>, name: string, values: readonly string[]): void {
  const v = data[name];
  if (v !== undefined && v !== null && !values.includes(String(v))) throw intuneBadRequest(`'${name}' must be one of ${values.join(', ')}.`, name);
}

function range(data: Record<string, unknown>, name: string, low: number, high: number): number | undefined {
  const v = data[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < low || v > high) throw intuneBadRequest(`'${name}' must be from ${low} to ${high}.`, name);
  return v;
}
