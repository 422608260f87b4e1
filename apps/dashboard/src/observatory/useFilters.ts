import { navigate, useLocation } from '@ent-observatory/web';
import { useCallback, useMemo } from 'react';
import { type Filters, parisToday, parseFilters, serialiseFilters } from './filters';

/** The filters of the current address, and a setter that writes them back into the address (a new history entry). */
export function useFilters(): { filters: Filters; today: string; setFilters(f: Filters): void; search: string } {
  const { path, query } = useLocation();
  const today = parisToday();
  const raw = query.toString();
  const filters = useMemo(() => parseFilters(new URLSearchParams(raw), today), [raw, today]);
  const search = serialiseFilters(filters, today);
  const setFilters = useCallback(
    (f: Filters) => {
      const q = serialiseFilters(f, today);
      navigate(q ? `${path}?${q}` : path);
    },
    [path, today],
  );
  return { filters, today, setFilters, search };
}
