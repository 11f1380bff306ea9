// The out-of-box experience pages a user sees before signing in. A device registered with Windows Autopilot
// downloads its profile once the network connects and hides what the profile hides (behaviour.md §5.2,
// §5.3); a device preparation or plain Entra join device is not registered, so Windows shows the consumer
// pages (§1.1: EULA, privacy, and on Pro editions "personal or work or school").
import type { ProfileRef } from './deployment.js';

export interface OobePages {
  readonly shown: readonly string[];
  readonly hidden: readonly string[];
}

const PRO_EDITIONS = new Set(['Pro', 'ProEducation', 'ProForWorkstations']);

export function oobePages(profile: ProfileRef | null, windowsEdition: string): OobePages {
  const shown: string[] = [];
  const hidden: string[] = [];
  const page = (name: string, visible: boolean) => (visible ? shown : hidden).push(name);
  if (!profile) {
    page('region', true);
    page('keyboard', true);
    page('licenseTerms', true);
    page('personalOrWork', PRO_EDITIONS.has(windowsEdition));
    page('signIn', true);
    page('privacySettings', true);
    return { shown, hidden };
  }
  const o = profile.oobe;
  // Language and keyboard are skipped only with a locale set (wired network assumed: Wi-Fi shows them).
  page('region', profile.locale === '' || profile.locale === 'os-default');
  page('keyboard', o.keyboardSelectionPageSkipped !== true);
  page('licenseTerms', o.eulaHidden !== true);
  page('personalOrWork', false);
  page('signIn', true);
  page('changeAccountOptions', o.escapeLinkHidden !== true);
  page('privacySettings', o.privacySettingsHidden !== true);
  return { shown, hidden };
}
