// Microsoft Graph permission names (as Microsoft's docs name them) and the sets each kind of route accepts.
// Source: the "Permissions" table of each Graph API page; graph-api.md §11.4.

export const GRAPH_PERMISSIONS = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
  'Device.Read.All',
  'Device.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'Application.Read.All',
  'Application.ReadWrite.All',
  'Policy.Read.All',
  'Policy.Read.DeviceConfiguration',
  'Policy.ReadWrite.DeviceConfiguration',
  'Policy.ReadWrite.MobilityManagement',
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementConfiguration.ReadWrite.All',
  'DeviceManagementServiceConfig.Read.All',
  'DeviceManagementServiceConfig.ReadWrite.All',
  'DeviceManagementApps.Read.All',
  'DeviceManagementApps.ReadWrite.All',
  'DeviceManagementManagedDevices.Read.All',
  'DeviceManagementManagedDevices.ReadWrite.All',
  'DeviceManagementScripts.Read.All',
  'DeviceManagementScripts.ReadWrite.All',
  'DeviceManagementRBAC.Read.All',
  'DeviceManagementRBAC.ReadWrite.All',
] as const;

export type GraphPermission = (typeof GRAPH_PERMISSIONS)[number];

const known = new Set<string>(GRAPH_PERMISSIONS);
export const isGraphPermission = (name: string): name is GraphPermission => known.has(name);

/** A route is allowed when the caller holds any one of these permissions. */
export type PermissionSet = readonly GraphPermission[];

const dirRead: PermissionSet = ['Directory.Read.All', 'Directory.ReadWrite.All'];
const dirWrite: PermissionSet = ['Directory.ReadWrite.All'];

export const permissions = {
  usersRead: ['User.Read.All', 'User.ReadWrite.All', ...dirRead],
  usersWrite: ['User.ReadWrite.All', ...dirWrite],
  groupsRead: ['Group.Read.All', 'Group.ReadWrite.All', 'GroupMember.Read.All', 'GroupMember.ReadWrite.All', ...dirRead],
  groupsWrite: ['Group.ReadWrite.All', ...dirWrite],
  groupMembersWrite: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', ...dirWrite],
  devicesRead: ['Device.Read.All', 'Device.ReadWrite.All', ...dirRead],
  devicesWrite: ['Device.ReadWrite.All', ...dirWrite],
  appsRead: ['Application.Read.All', 'Application.ReadWrite.All', ...dirRead],
  appsWrite: ['Application.ReadWrite.All', ...dirWrite],
  directoryRead: ['User.Read.All', 'Group.Read.All', 'Device.Read.All', 'Application.Read.All', ...dirRead],
  deviceRegistrationPolicyRead: [
    'Policy.Read.DeviceConfiguration',
    'Policy.ReadWrite.DeviceConfiguration',
    'Policy.Read.All',
  ],
  deviceRegistrationPolicyWrite: ['Policy.ReadWrite.DeviceConfiguration'],
  mobilityPolicyRead: ['Policy.Read.All', 'Policy.ReadWrite.MobilityManagement'],
  mobilityPolicyWrite: ['Policy.ReadWrite.MobilityManagement'],
} satisfies Record<string, PermissionSet>;
