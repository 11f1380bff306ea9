// Which setup a device runs when a user signs in, chosen as the service chooses (behaviour.md §3.1, §1.5):
// a device registered with Windows Autopilot runs classic Autopilot with its profile (or the default);
// otherwise the signing-in user's device preparation policy, the smallest priority number winning;
// otherwise a plain Microsoft Entra join with automatic MDM enrollment (an inference, §7.4).
import type { Scope } from '../server/context.js';
import { autopilotRegistrationFor, type AutopilotRegistration } from '../intune/autopilot-lookup.js';
import { devicePreparationPolicies, type DevicePreparationPolicy } from '../intune/device-preparation-policy.js';
import { uncached, type Cached } from './plan.js';

export interface DeviceIdentity {
  readonly serialNumber: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly hardwareHash: string;
}

export type PathChoice =
  | { readonly path: 'classicAutopilot'; readonly reason: string; readonly registration: AutopilotRegistration }
  | { readonly path: 'devicePreparation'; readonly reason: string; readonly policy: DevicePreparationPolicy; readonly outranked: readonly DevicePreparationPolicy[] }
  | { readonly path: 'entraJoin'; readonly reason: string };

/** Whether a user-driven policy's assignments reach a user in `userGroups` (exclusions win). */
export function policyTargetsUser(policy: DevicePreparationPolicy, userGroups: ReadonlySet<string>): boolean {
  if (policy.mode !== 'userDriven') return false;
  if (policy.assignments.excludedGroupIds.some((g) => userGroups.has(g.toLowerCase()))) return false;
  return policy.assignments.allUsers || policy.assignments.includedGroupIds.some((g) => userGroups.has(g.toLowerCase()));
}

/** The device preparation policies that target the user, winner first ("smallest number wins"). */
export async function policiesForUser(scope: Scope, userGroups: ReadonlySet<string>, cached: Cached = uncached): Promise<DevicePreparationPolicy[]> {
  return (await cached('devicePreparationPolicies', () => devicePreparationPolicies(scope))).filter((p) => policyTargetsUser(p, userGroups));
}

export async function choosePath(scope: Scope, device: DeviceIdentity, userGroups: ReadonlySet<string>, cached: Cached = uncached): Promise<PathChoice> {
  const registration = await autopilotRegistrationFor(scope, device);
  if (registration) {
    const profile = registration.profile;
    const reason = profile
      ? `The device (serial ${device.serialNumber}) is registered with Windows Autopilot and gets the deployment profile '${String(profile.displayName)}'; Autopilot registration takes precedence over device preparation.`
      : `The device (serial ${device.serialNumber}) is registered with Windows Autopilot with no profile assigned, so it gets the default Autopilot behaviour; registration takes precedence over device preparation.`;
    return { path: 'classicAutopilot', reason, registration };
  }
  const [winner, ...outranked] = await policiesForUser(scope, userGroups, cached);
  if (winner) {
    const beat = outranked.length > 0 ? `; it outranks ${outranked.map((p) => `'${p.name}' (priority ${p.priority})`).join(', ')}` : '';
    return {
      path: 'devicePreparation',
      reason: `The device is not registered with Windows Autopilot, and the device preparation policy '${winner.name}' (priority ${winner.priority}) is assigned to a group the user is in${beat}.`,
      policy: winner,
      outranked,
    };
  }
  return {
    path: 'entraJoin',
    reason: 'The device is not registered with Windows Autopilot and no device preparation policy is assigned to the user: a plain Microsoft Entra join with automatic MDM enrollment.',
  };
}
