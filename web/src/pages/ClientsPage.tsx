import { useQuery } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useThreshold } from '../api/metrics/queries';
import { sendingQuery } from '../api/sending/queries';
import { userFilterQuery, userListQuery } from '../api/users/queries';
import { CLIENT_STATES, type ClientStateFilter, type SortOrder, type UserSort } from '../api/users/types';
import { ClientBadges } from '../components/ClientBadges';
import { DownloadCsvButton } from '../components/DownloadCsvButton';
import { pausedBadge } from '../lib/clientBadges';
import { Pager } from '../components/Pager';
import { ScoreBadge } from '../components/ScoreBadge';
import { Empty, ErrorState, Loading } from '../components/StatusViews';
import {
  applyFilterChange,
  clientFiltersToParams,
  defaultOrder,
  parseClientFilters,
  SORTS,
  type ClientFilters,
} from '../lib/clientListParams';
import { formatCount, formatDate, formatDaysAgo, formatMoney, formatPercent } from '../lib/format';
import { useCursorPager } from '../lib/useCursorPager';
import { useDebouncedValue } from '../lib/useDebouncedValue';
import { usePageTitle } from '../lib/usePageTitle';

export const CLIENTS_PAGE_SIZE = 25;

export function ClientsPage() {
  usePageTitle('Clients');
  const [params, setParams] = useSearchParams();
  const filters = parseClientFilters(params);
  const threshold = useThreshold();
  const searchId = useId();

  // The search box updates the URL once typing pauses.
  const [searchText, setSearchText] = useState(filters.search);
  const debouncedSearch = useDebouncedValue(searchText, 300);
  // Runs on typing only (the URL follows the box, not the other way round): reading the
  // current filters from an effect event does not make their changes re-run it.
  const pushSearch = useEffectEvent((text: string) => {
    if (text.trim() !== filters.search) update({ search: text });
  });
  useEffect(() => pushSearch(debouncedSearch), [debouncedSearch]);
  // A search changed from elsewhere (a link, Back) shows in the box: state adjusted while
  // rendering when the URL's search changes, not in an effect (one render, not two).
  const [urlSearch, setUrlSearch] = useState(filters.search);
  if (filters.search !== urlSearch) {
    setUrlSearch(filters.search);
    if (filters.search !== debouncedSearch.trim()) setSearchText(filters.search);
  }

  function update(change: Partial<ClientFilters>) {
    setParams(clientFiltersToParams(applyFilterChange(filters, change)), { replace: 'search' in change });
  }

  const pager = useCursorPager(clientFiltersToParams(filters).toString());
  const list = useQuery(userListQuery({ ...filters, limit: CLIENTS_PAGE_SIZE, cursor: pager.cursor }));

  function sortBy(sort: UserSort) {
    const order: SortOrder = sort === filters.sort ? (filters.order === 'asc' ? 'desc' : 'asc') : defaultOrder(sort);
    update({ sort, order });
  }

  const filtered = filters.search.trim() !== '' || filters.atRisk || filters.state !== '';
  // Sorted by churn (issue 11), the list shows the probability it is sorted by.
  const byChurn = filters.sort === 'churnProbability';
  // Paused applies to every client: said once above the list, not on every row.
  const sending = useQuery(sendingQuery());
  const paused = pausedBadge(sending.data);

  return (
    <div className="page">
      <header className="page__header page__header--row">
        <div>
          <h1>Clients</h1>
          <p className="page__lead">Scores below {threshold} are at risk. The list updates live.</p>
          {paused && (
            <p className="small" role="status">
              <span className="badge badge--warn">{paused.label}</span> {paused.detail}
            </p>
          )}
        </div>
        <div className="button-row">
          <DownloadCsvButton resource="clients" query={userFilterQuery(filters)} />
          <Link to="/clients/new" className="button button--primary">
            Add client
          </Link>
        </div>
      </header>

      <form className="toolbar" role="search" aria-label="Filter clients" onSubmit={(e) => e.preventDefault()}>
        <div className="field field--grow">
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            type="search"
            placeholder="Name or email"
            value={searchText}
            maxLength={200}
            onChange={(e) => setSearchText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') update({ search: searchText });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="clients-sort">Sort by</label>
          <select
            id="clients-sort"
            value={filters.sort}
            onChange={(e) =>
              update({ sort: e.target.value as UserSort, order: defaultOrder(e.target.value as UserSort) })
            }
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="clients-order">Order</label>
          <select
            id="clients-order"
            value={filters.order}
            onChange={(e) => update({ order: e.target.value as SortOrder })}
          >
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="clients-state">State</label>
          <select
            id="clients-state"
            value={filters.state}
            onChange={(e) => update({ state: e.target.value as ClientStateFilter | '' })}
          >
            <option value="">Any</option>
            {CLIENT_STATES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--check">
          <input
            id="clients-at-risk"
            type="checkbox"
            checked={filters.atRisk}
            onChange={(e) => update({ atRisk: e.target.checked })}
          />
          <label htmlFor="clients-at-risk">At risk only</label>
        </div>
      </form>

      {list.isPending ? (
        <Loading label="Loading clients…" />
      ) : list.isError ? (
        <ErrorState title="Could not load clients" error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty>
          {filtered ? 'No clients match these filters.' : 'No clients yet. '}
          {!filtered && <Link to="/clients/new">Add the first one.</Link>}
        </Empty>
      ) : (
        <>
          <div className="table-wrap" role="region" aria-label="Clients" tabIndex={0}>
            <table className="table table--clients" aria-busy={list.isPlaceholderData || undefined}>
              <thead>
                <tr>
                  <SortHeader filters={filters} onSort={sortBy} sort="name">
                    Client
                  </SortHeader>
                  <SortHeader filters={filters} onSort={sortBy} sort="score">
                    Score
                  </SortHeader>
                  {byChurn && (
                    <SortHeader filters={filters} onSort={sortBy} sort="churnProbability">
                      Churn
                    </SortHeader>
                  )}
                  <SortHeader filters={filters} onSort={sortBy} sort="lastOrderDate">
                    Last order
                  </SortHeader>
                  <th scope="col" className="num">
                    Orders
                  </th>
                  <th scope="col" className="num hide-sm">
                    Avg. order
                  </th>
                  <th scope="col" className="hide-sm">
                    Last email
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((u) => (
                  <tr key={u.userId}>
                    <td>
                      <Link to={`/clients/${encodeURIComponent(u.userId)}`} className="client-link">
                        {u.name}
                      </Link>
                      <ClientBadges user={u} />
                      <div className="muted small">{u.email}</div>
                    </td>
                    <td>
                      <ScoreBadge score={u.engagementScore} threshold={threshold} />
                    </td>
                    {byChurn && (
                      <td className="num" data-label="Churn">
                        {u.prediction ? formatPercent(u.prediction.churnProbability) : '—'}
                      </td>
                    )}
                    <td data-label="Last order">
                      {u.lastOrderDate ? (
                        <>
                          {formatDate(u.lastOrderDate)}
                          <div className="muted small">{formatDaysAgo(u.lastOrderDate)}</div>
                        </>
                      ) : (
                        <span className="muted">No order yet</span>
                      )}
                    </td>
                    <td className="num" data-label="Orders">
                      {formatCount(u.orderCount)}
                    </td>
                    <td className="num hide-sm" data-label="Avg. order">
                      {formatMoney(u.averageOrderValue)}
                    </td>
                    <td className="hide-sm" data-label="Last email">
                      {u.lastEmailDate ? formatDate(u.lastEmailDate) : 'none'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Client pages"
            page={pager.page}
            hasPrevious={pager.hasPrevious}
            hasNext={list.data.nextCursor !== null}
            busy={list.isPlaceholderData}
            onPrevious={pager.previous}
            onNext={() => list.data.nextCursor && pager.next(list.data.nextCursor)}
          />
        </>
      )}
    </div>
  );
}

/** A column header that sorts the list, announcing the current direction (aria-sort). */
function SortHeader({
  sort,
  filters,
  onSort,
  children,
}: {
  sort: UserSort;
  filters: ClientFilters;
  onSort: (sort: UserSort) => void;
  children: string;
}) {
  const current = filters.sort !== sort ? undefined : filters.order === 'asc' ? 'ascending' : 'descending';
  return (
    <th scope="col" aria-sort={current ?? 'none'}>
      <button type="button" className="th-sort" onClick={() => onSort(sort)}>
        {children}
        <span aria-hidden="true" className="th-sort__arrow">
          {current === 'ascending' ? '▲' : current === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}
