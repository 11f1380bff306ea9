// Directory objects as the users, groups and tenant settings screens read them from Graph: their kinds, how
// they are named in lists, the reference bodies of `$ref` requests, and the portal's checks of form fields.
// Pure functions, no imports: the rules are tested on their own.

export type ObjectKind = 'user' | 'group' | 'device' | 'servicePrincipal';

/** A user, group, device or service principal as lists show it (Graph's properties, whichever were read). */
export interface DirectoryObject {
  readonly id: string;
  readonly '@odata.type'?: string;
  readonly displayName?: string | null;
  readonly userPrincipalName?: string | null;
  readonly appId?: string | null;
  readonly deviceId?: string | null;
  readonly operatingSystem?: string | null;
  readonly description?: string | null;
  readonly mail?: string | null;
}

/** The Intune Provisioning Client (Windows Autopilot device preparation adds devices to groups it owns). */
export const PROVISIONING_CLIENT_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';
/** The Microsoft Intune MDM application: its mobility policy holds the MDM user scope. */
export const INTUNE_MDM_APP_ID = '0000000a-0000-0000-c000-000000000000';

export const KIND_LABEL: Readonly<Record<ObjectKind, string>> = {
  user: 'User',
  group: 'Group',
  device: 'Device',
  servicePrincipal: 'Enterprise application',
};

/** The Graph collection of each kind. */
export const COLLECTION: Readonly<Record<ObjectKind, string>> = {
  user: 'users',
  group: 'groups',
  device: 'devices',
  servicePrincipal: 'servicePrincipals',
};

/** The kind of an object of a mixed collection (members, owners, memberOf), from its `@odata.type`. */
export function kindOf(o: DirectoryObject, fallback: ObjectKind = 'user'): ObjectKind {
  const type = (o['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '');
  return type === 'user' || type === 'group' || type === 'device' || type === 'servicePrincipal' ? type : fallback;
}

/** The second line of an object in a list: what tells two objects of the same name apart. */
export function detailOf(o: DirectoryObject, kind: ObjectKind = kindOf(o)): string {
  switch (kind) {
    case 'user':
      return o.userPrincipalName ?? '';
    case 'servicePrincipal':
      return o.appId ? `Application ID ${o.appId}` : '';
    case 'device':
      return [o.operatingSystem, o.deviceId && `Device ID ${o.deviceId}`].filter(Boolean).join(' · ');
    case 'group':
      return o.description ?? o.mail ?? '';
  }
}

export function nameOf(o: DirectoryObject): string {
  return o.displayName || o.userPrincipalName || o.id;
}

/** The body of `POST …/members/$ref` (and owners, includedGroups). */
export function refBody(id: string, version: 'v1.0' | 'beta' = 'v1.0'): { '@odata.id': string } {
  return { '@odata.id': `https://graph.microsoft.com/${version}/directoryObjects/${id}` };
}

/** The `$select` of each kind for pickers and lists. */
export const SELECT: Readonly<Record<ObjectKind, string>> = {
  user: 'id,displayName,userPrincipalName',
  group: 'id,displayName,description,mail',
  device: 'id,displayName,deviceId,operatingSystem',
  servicePrincipal: 'id,displayName,appId',
};

/**
 * A `$search` for objects whose name (or sign-in name, for users) has a word starting with `text`, as the
 * portal's pickers search. Graph needs the header ConsistencyLevel: eventual for it.
 */
export function searchQuery(kind: ObjectKind, text: string): string {
  const term = text.trim().replace(/["\\]/g, ' ').trim();
  const clauses = [`"displayName:${term}"`];
  if (kind === 'user') clauses.push(`"userPrincipalName:${term}"`);
  return encodeURIComponent(clauses.join(' OR '));
}

// ---- Form checks (the portal's, before anything is sent) -------------------------------------------

/** Entra's password rule: 8 to 256 characters, with three of lowercase, uppercase, digits and symbols. */
export function passwordProblem(password: string): string | undefined {
  if (password.length === 0) return 'Enter a password.';
  if (password.length < 8) return 'The password must have at least 8 characters.';
  if (password.length > 256) return 'The password can have at most 256 characters.';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) return 'The password must contain three of these: lowercase letters, uppercase letters, numbers and symbols.';
  return undefined;
}

/** A password that passes Entra's rule, like the portal's "Auto-generate password". */
export function generatePassword(random: (n: number) => number = (n) => Math.floor(Math.random() * n)): string {
  const sets = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!#$%&*+-=?@'];
  const chars = sets.map((s) => s[random(s.length)]!);
  const all = sets.join('');
  while (chars.length < 16) chars.push(all[random(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

const UPN_LOCAL = /^[A-Za-z0-9.'_!#^~+\-&]+$/;

/** The user name part of a userPrincipalName (before the @ of the tenant's domain). */
export function userNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Enter a user name.';
  if (name.length > 64) return 'The user name can have at most 64 characters.';
  if (name.includes('@')) return 'Enter the user name without the domain: the domain is added after the @.';
  if (!UPN_LOCAL.test(name)) return "The user name can contain only letters, numbers and . ' _ ! # ^ ~ + - &.";
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..')) return "The user name can't start or end with a period, or have two in a row.";
  return undefined;
}

const MAIL_NICKNAME = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/;

export function mailNicknameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Enter a mail nickname.';
  if (name.length > 64) return 'The mail nickname can have at most 64 characters.';
  if (!MAIL_NICKNAME.test(name)) return 'The mail nickname can contain only letters, numbers and the symbols ! # $ % & \' * + - / = ? ^ _ ` { | } ~ and periods.';
  return undefined;
}

/**
 * A group's mail nickname from its name, as the portal makes one for a security group: the name's letters
 * and digits, and a random suffix so that two groups of the same name keep apart.
 */
export function groupMailNickname(displayName: string, suffix: string): string {
  const base = displayName.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').slice(0, 64 - suffix.length - 1);
  return base ? `${base}-${suffix}` : `group-${suffix}`;
}

export function lengthProblem(label: string, value: string, max: number): string | undefined {
  return value.length > max ? `${label} can have at most ${max} characters.` : undefined;
}

// ---- Groups -----------------------------------------------------------------------------------------

export interface GroupFacts {
  readonly groupTypes?: readonly string[] | null;
  readonly securityEnabled?: boolean | null;
  readonly mailEnabled?: boolean | null;
  readonly membershipRule?: string | null;
  readonly membershipRuleProcessingState?: string | null;
}

export function isDynamicGroup(g: GroupFacts): boolean {
  return (g.groupTypes ?? []).some((t) => t.toLowerCase() === 'dynamicmembership');
}

/** The portal's "Group type" column. */
export function groupTypeLabel(g: GroupFacts): string {
  if ((g.groupTypes ?? []).some((t) => t.toLowerCase() === 'unified')) return 'Microsoft 365';
  if (g.securityEnabled && g.mailEnabled) return 'Mail-enabled security';
  if (g.securityEnabled) return 'Security';
  return 'Distribution';
}

/** Whom a rule is about, from its first `user.` or `device.` property (Direct Reports rules are about users). */
export function ruleSubject(rule: string | null | undefined): 'user' | 'device' | undefined {
  if (!rule) return undefined;
  if (/^\s*Direct\s+Reports\b/i.test(rule)) return 'user';
  const m = /(?:^|[^A-Za-z0-9_$.])(user|device)\./i.exec(rule);
  return m ? (m[1]!.toLowerCase() as 'user' | 'device') : undefined;
}

/** The portal's "Membership type" column: Assigned, Dynamic User or Dynamic Device. */
export function membershipTypeLabel(g: GroupFacts): string {
  if (!isDynamicGroup(g)) return 'Assigned';
  const subject = ruleSubject(g.membershipRule);
  return subject === 'device' ? 'Dynamic Device' : subject === 'user' ? 'Dynamic User' : 'Dynamic';
}
