// The Clients page's filters live in the URL (?search=…&sort=…&order=…&atRisk=1&state=…), so a
// view can be bookmarked and shared. Parsing is lenient: anything unknown falls back to
// the default.

import { CLIENT_STATES, type ClientStateFilter, type SortOrder, type UserSort } from '../api/users/types';

export interface ClientFilters {
  search: string;
  sort: UserSort;
  order: SortOrder;
  atRisk: boolean;
  /** A client state (issue 16), '' for any. */
  state: ClientStateFilter | '';
}

export const SORTS: readonly { value: UserSort; label: string }[] = [
  { value: 'createdAt', label: 'Date added' },
  { value: 'score', label: 'Engagement score' },
  { value: 'lastOrderDate', label: 'Last order' },
  { value: 'name', label: 'Name' },
  { value: 'churnProbability', label: 'Churn probability' },
];

/** The API's own default direction for each sort: newest and likeliest to churn first, the others ascending. */
export function defaultOrder(sort: UserSort): SortOrder {
  return sort === 'createdAt' || sort === 'churnProbability' ? 'desc' : 'asc';
}

export const DEFAULT_FILTERS: ClientFilters = {
  search: '',
  sort: 'createdAt',
  order: 'desc',
  atRisk: false,
  state: '',
};

function isSort(v: string | null): v is UserSort {
  return SORTS.some((s) => s.value === v);
}

export function parseClientFilters(params: URLSearchParams): ClientFilters {
  const rawSort = params.get('sort');
  const sort = isSort(rawSort) ? rawSort : DEFAULT_FILTERS.sort;
  const rawOrder = params.get('order');
  const order: SortOrder = rawOrder === 'asc' || rawOrder === 'desc' ? rawOrder : defaultOrder(sort);
  const rawRisk = params.get('atRisk');
  const rawState = params.get('state');
  const state = CLIENT_STATES.find((s) => s.value === rawState)?.value ?? '';
  return {
    state,
    search: (params.get('search') ?? '').slice(0, 200),
    sort,
    order,
    atRisk: rawRisk === '1' || rawRisk === 'true',
  };
}

/** The URL query for the filters, leaving out defaults to keep URLs short. */
export function clientFiltersToParams(f: ClientFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.search.trim()) p.set('search', f.search.trim());
  if (f.sort !== DEFAULT_FILTERS.sort) p.set('sort', f.sort);
  if (f.order !== defaultOrder(f.sort)) p.set('order', f.order);
  if (f.atRisk) p.set('atRisk', '1');
  if (f.state) p.set('state', f.state);
  return p;
}

/**
 * The filters after `change`. The server cannot list a client state sorted by churn
 * probability (it answers 400), so the newer choice wins: picking a state leaves the
 * churn sort for the default one, picking the churn sort clears the state.
 */
export function applyFilterChange(filters: ClientFilters, change: Partial<ClientFilters>): ClientFilters {
  const next = { ...filters, ...change };
  if (next.sort !== 'churnProbability' || !next.state) return next;
  if ('state' in change && change.state) return { ...next, sort: DEFAULT_FILTERS.sort, order: DEFAULT_FILTERS.order };
  return { ...next, state: '' };
}
