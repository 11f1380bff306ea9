// Every screen of the admin center, in navigation order. Adding a screen is adding a file under pages/ and a
// line here: `path` (hash route, `:name` segments become params), `title`, the lazily loaded page, and `nav`
// when it belongs in the left navigation (detail pages leave it out and highlight their parent's entry).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { FluentIcon } from '@fluentui/react-icons';
import { HomeRegular } from '@fluentui/react-icons/svg/home';
import { PersonRegular } from '@fluentui/react-icons/svg/person';
import { PeopleRegular } from '@fluentui/react-icons/svg/people';
import { LaptopRegular } from '@fluentui/react-icons/svg/laptop';
import { AppsRegular } from '@fluentui/react-icons/svg/apps';
import { ScriptRegular } from '@fluentui/react-icons/svg/script';
import { DesktopPulseRegular } from '@fluentui/react-icons/svg/desktop-pulse';
import { PhoneLaptopRegular } from '@fluentui/react-icons/svg/phone-laptop';
import { SettingsRegular } from '@fluentui/react-icons/svg/settings';
import { matchPath, type Params } from './router';

export interface PageProps {
  /** The `:name` segments of the route, decoded. */
  readonly params: Params;
}

/** Collapsible groups of the left navigation. */
export const NAV_GROUPS = {
  Devices: { icon: LaptopRegular },
} as const satisfies Record<string, { icon: FluentIcon }>;

export interface RouteDef {
  readonly path: string;
  readonly title: string;
  readonly page: LazyExoticComponent<ComponentType<PageProps>>;
  /** Shown in the left navigation: top level with an icon, or inside a group. */
  readonly nav?: { readonly icon: FluentIcon } | { readonly group: keyof typeof NAV_GROUPS };
}

export const routes: readonly RouteDef[] = [
  { path: '/', title: 'Home', nav: { icon: HomeRegular }, page: lazy(() => import('./pages/home')) },
  { path: '/users', title: 'Users', nav: { icon: PersonRegular }, page: lazy(() => import('./pages/users')) },
  { path: '/groups', title: 'Groups', nav: { icon: PeopleRegular }, page: lazy(() => import('./pages/groups')) },
  { path: '/devices/autopilot', title: 'Windows Autopilot devices', nav: { group: 'Devices' }, page: lazy(() => import('./pages/autopilot-devices')) },
  { path: '/devices/device-preparation', title: 'Device preparation policies', nav: { group: 'Devices' }, page: lazy(() => import('./pages/device-preparation-policies')) },
  { path: '/devices/deployment-profiles', title: 'Deployment profiles', nav: { group: 'Devices' }, page: lazy(() => import('./pages/deployment-profiles')) },
  { path: '/devices/enrollment-status-page', title: 'Enrollment Status Page', nav: { group: 'Devices' }, page: lazy(() => import('./pages/enrollment-status-page')) },
  { path: '/devices/enrollment-restrictions', title: 'Enrollment restrictions', nav: { group: 'Devices' }, page: lazy(() => import('./pages/enrollment-restrictions')) },
  { path: '/devices/corporate-identifiers', title: 'Corporate identifiers', nav: { group: 'Devices' }, page: lazy(() => import('./pages/corporate-identifiers')) },
  { path: '/devices/filters', title: 'Filters', nav: { group: 'Devices' }, page: lazy(() => import('./pages/assignment-filters')) },
  { path: '/apps', title: 'Apps', nav: { icon: AppsRegular }, page: lazy(() => import('./pages/apps')) },
  { path: '/scripts', title: 'Scripts', nav: { icon: ScriptRegular }, page: lazy(() => import('./pages/scripts')) },
  { path: '/monitor', title: 'Monitor', nav: { icon: DesktopPulseRegular }, page: lazy(() => import('./pages/monitor')) },
  { path: '/simulator', title: 'Device simulator', nav: { icon: PhoneLaptopRegular }, page: lazy(() => import('./pages/device-simulator')) },
  { path: '/tenant-settings', title: 'Tenant settings', nav: { icon: SettingsRegular }, page: lazy(() => import('./pages/tenant-settings')) },
];

export const notFoundPage = lazy(() => import('./pages/not-found'));

export interface RouteMatch {
  readonly route: RouteDef | undefined;
  readonly params: Params;
  /** The navigation entry to highlight: the route itself, or the nav route whose path prefixes it. */
  readonly navPath: string | undefined;
}

export function findRoute(path: string): RouteMatch {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params, navPath: route.nav ? route.path : navParentOf(path) };
  }
  return { route: undefined, params: {}, navPath: undefined };
}

function navParentOf(path: string): string | undefined {
  const lower = path.toLowerCase();
  return routes
    .filter((r) => r.nav && r.path !== '/' && lower.startsWith(`${r.path.toLowerCase()}/`))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;
}
