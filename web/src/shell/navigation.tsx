// The left navigation, built from the route table: top-level entries with icons, and groups (Devices)
// that fold open. Entries are links to hash routes, so they work with the keyboard and in new tabs.
import {
  NavCategory,
  NavCategoryItem,
  NavDrawer,
  NavDrawerBody,
  NavItem,
  NavSubItem,
  NavSubItemGroup,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState, type ReactNode } from 'react';
import { href } from '../router';
import { NAV_GROUPS, routes, type RouteDef } from '../routes';

const useStyles = makeStyles({
  drawer: { gridArea: 'nav', height: '100%', borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
});

type GroupName = keyof typeof NAV_GROUPS;

export function Navigation({ selected }: { readonly selected: string | undefined }) {
  const styles = useStyles();
  const selectedGroup = routes.find((r) => r.path === selected && r.nav && 'group' in r.nav)?.nav as { group: GroupName } | undefined;
  const [open, setOpen] = useState<string[]>([]);
  // Arriving on a screen of a group (a link, the address bar) opens the group; the user may close it again.
  const group = selectedGroup?.group;
  useEffect(() => {
    if (group) setOpen((o) => (o.includes(group) ? o : [...o, group]));
  }, [group]);

  const items: ReactNode[] = [];
  const done = new Set<GroupName>();
  for (const route of routes) {
    if (!route.nav) continue;
    if ('icon' in route.nav) {
      const Icon = route.nav.icon;
      items.push(
        <NavItem key={route.path} value={route.path} href={href(route.path)} icon={<Icon />}>
          {route.title}
        </NavItem>,
      );
      continue;
    }
    const name = route.nav.group;
    if (done.has(name)) continue;
    done.add(name);
    const Icon = NAV_GROUPS[name].icon;
    const members = routes.filter((r): r is RouteDef => !!r.nav && 'group' in r.nav && r.nav.group === name);
    items.push(
      <NavCategory key={`group:${name}`} value={name}>
        <NavCategoryItem icon={<Icon />}>{name}</NavCategoryItem>
        <NavSubItemGroup>
          {members.map((m) => (
            <NavSubItem key={m.path} value={m.path} href={href(m.path)}>
              {m.title}
            </NavSubItem>
          ))}
        </NavSubItemGroup>
      </NavCategory>,
    );
  }

  return (
    <NavDrawer
      className={styles.drawer}
      type="inline"
      open
      aria-label="Admin center"
      selectedValue={selected ?? ''}
      selectedCategoryValue={selectedGroup?.group ?? ''}
      openCategories={open}
      onNavCategoryItemToggle={(_e, data) => {
        const value = String(data.categoryValue ?? data.value);
        setOpen((o) => (o.includes(value) ? o.filter((v) => v !== value) : [...o, value]));
      }}
    >
      <NavDrawerBody>{items}</NavDrawerBody>
    </NavDrawer>
  );
}
