// A Graph list read a page at a time: the first page when the path changes (or on reload), the next ones on
// "Load more" by following @odata.nextLink, so a tenant with many thousands of devices opens as fast as one
// with ten.
import { useCallback, useEffect, useRef, useState } from 'react';
import { asApiError, graph, type ApiError, type GraphList } from '../../api';

export interface Paged<T> {
  readonly items: readonly T[] | undefined;
  readonly count: number | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  readonly hasMore: boolean;
  readonly loadMore: () => void;
  readonly reload: () => void;
}

export function usePagedGraph<T>(path: string): Paged<T> {
  const [state, setState] = useState<{ items?: T[]; count?: number; next?: string; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const controller = useRef<AbortController | undefined>(undefined);

  const load = useCallback(async (target: string, append: boolean) => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await graph<GraphList<T>>('GET', target, undefined, { signal: c.signal });
      if (c.signal.aborted) return;
      setState((s) => ({
        items: append ? [...(s.items ?? []), ...page.value] : page.value,
        count: page['@odata.count'] ?? (append ? s.count : undefined),
        next: page['@odata.nextLink'],
        loading: false,
      }));
    } catch (err) {
      if (c.signal.aborted) return;
      setState((s) => ({ ...s, error: asApiError(err), loading: false }));
    }
  }, []);

  useEffect(() => {
    void load(path, false);
    return () => controller.current?.abort();
  }, [path, tick, load]);

  return {
    items: state.items,
    count: state.count,
    error: state.error,
    loading: state.loading,
    hasMore: state.next !== undefined,
    loadMore: () => state.next && void load(state.next, true),
    reload: () => setTick((t) => t + 1),
  };
}
