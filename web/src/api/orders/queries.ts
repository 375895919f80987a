import { queryOptions } from '@tanstack/react-query';
import { apiList } from '../client';
import type { Order } from './types';

export const orderKeys = {
  all: ['orders'] as const,
  forUser: (userId: string, limit: number) => [...orderKeys.all, 'user', userId, limit] as const,
};

/** A client's orders, newest first. */
export function userOrdersQuery(userId: string, limit = 20) {
  return queryOptions({
    queryKey: orderKeys.forUser(userId, limit),
    queryFn: ({ signal }) =>
      apiList<Order>(`/api/users/${encodeURIComponent(userId)}/orders`, { signal, query: { limit } }),
  });
}
