import { describe, expect, it } from 'vitest';
import { applyFilterChange, clientFiltersToParams, DEFAULT_FILTERS, parseClientFilters } from './clientListParams';

describe('client filters in the URL', () => {
  it('reads an empty query as the defaults', () => {
    expect(parseClientFilters(new URLSearchParams())).toEqual(DEFAULT_FILTERS);
  });

  it('reads search, sort, order and the at-risk flag', () => {
    expect(parseClientFilters(new URLSearchParams('search=ada&sort=score&order=desc&atRisk=1'))).toEqual({
      search: 'ada',
      sort: 'score',
      order: 'desc',
      atRisk: true,
      state: '',
    });
  });

  it('reads a known client state and ignores others', () => {
    expect(parseClientFilters(new URLSearchParams('state=lapsed')).state).toBe('lapsed');
    expect(parseClientFilters(new URLSearchParams('state=DROP')).state).toBe('');
    expect(clientFiltersToParams({ ...DEFAULT_FILTERS, state: 'heldOut' }).toString()).toBe('state=heldOut');
  });

  it('uses the natural direction of a sort when none is given', () => {
    expect(parseClientFilters(new URLSearchParams('sort=name')).order).toBe('asc');
    expect(parseClientFilters(new URLSearchParams('sort=createdAt')).order).toBe('desc');
  });

  it('ignores values it does not know', () => {
    expect(parseClientFilters(new URLSearchParams('sort=DROP&order=sideways&atRisk=maybe'))).toEqual(DEFAULT_FILTERS);
  });

  it('writes only what differs from the defaults', () => {
    expect(clientFiltersToParams(DEFAULT_FILTERS).toString()).toBe('');
    expect(
      clientFiltersToParams({ search: ' ada ', sort: 'score', order: 'asc', atRisk: true, state: '' }).toString(),
    ).toBe('search=ada&sort=score&atRisk=1');
  });

  it('round-trips', () => {
    const f = {
      search: 'x y',
      sort: 'lastOrderDate' as const,
      order: 'desc' as const,
      atRisk: false,
      state: '' as const,
    };
    expect(parseClientFilters(clientFiltersToParams(f))).toEqual(f);
  });

  it('sorts by churn probability likeliest first, leaving that default out of the URL (issue 11)', () => {
    const f = parseClientFilters(new URLSearchParams('sort=churnProbability'));
    expect([f.sort, f.order]).toEqual(['churnProbability', 'desc']);
    expect(clientFiltersToParams(f).toString()).toBe('sort=churnProbability');
  });

  it('never combines a client state with the churn sort, which the server refuses: the newer choice wins', () => {
    const byChurn = { ...DEFAULT_FILTERS, sort: 'churnProbability' as const, order: 'desc' as const };
    expect(applyFilterChange(byChurn, { state: 'lapsed' })).toEqual({ ...DEFAULT_FILTERS, state: 'lapsed' });
    const lapsed = { ...DEFAULT_FILTERS, state: 'lapsed' as const };
    expect(applyFilterChange(lapsed, { sort: 'churnProbability', order: 'desc' })).toEqual(byChurn);
    expect(applyFilterChange(lapsed, { sort: 'score', order: 'asc' })).toEqual({
      ...lapsed,
      sort: 'score',
      order: 'asc',
    });
    expect(applyFilterChange(byChurn, { atRisk: true })).toEqual({ ...byChurn, atRisk: true });
  });
});
