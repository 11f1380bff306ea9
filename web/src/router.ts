// Hash routing (`/#/devices/autopilot`): the server serves one page at `/`, so no path needs a fallback
// and nothing can clash with Graph or the control API. Patterns are paths with `:name` segments.
import { startTransition, useEffect, useState } from 'react';

export type Params = Readonly<Record<string, string>>;

function currentPath(): string {
  const hash = location.hash.replace(/^#/, '');
  const path = hash.split('?')[0] ?? '';
  return path.startsWith('/') ? path : `/${path}`;
}

/**
 * Follows the hash. The change is a transition, so React keeps the current screen up until the next one's
 * code has loaded instead of flashing a spinner.
 */
function useHash<T>(read: () => T): T {
  const [value, setValue] = useState(() => read());
  useEffect(() => {
    const update = () => startTransition(() => setValue(() => read()));
    window.addEventListener('hashchange', update);
    update();
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return value;
}

/** The current route path, e.g. `/devices/autopilot/1234`. */
export function usePath(): string {
  return useHash(currentPath);
}

/** The query string after the path in the hash (`#/devices?serial=X`). */
export function useQuery(): URLSearchParams {
  return new URLSearchParams(useHash(() => location.hash).split('?')[1] ?? '');
}

/** An `href` for a route path, for links and Fluent components that take one. */
export function href(path: string): string {
  return `#${path}`;
}

export function navigate(path: string): void {
  location.hash = path;
}

/** The params of `path` matched against `pattern`, or null when it does not match. */
export function matchPath(pattern: string, path: string): Params | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = safeDecode(g);
    else if (w.toLowerCase() !== g.toLowerCase()) return null;
  }
  return params;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
