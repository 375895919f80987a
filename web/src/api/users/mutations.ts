import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { metricsKeys } from '../metrics/queries';
import { userKeys } from './queries';
import type { NewUser, User, UserPatch } from './types';

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewUser) => apiRequest<User>('/api/users', { method: 'POST', body }),
    meta: { handlesErrors: true },
    onSuccess: (user) => {
      queryClient.setQueryData(userKeys.detail(user.userId), user);
      void queryClient.invalidateQueries({ queryKey: userKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: metricsKeys.all });
    },
  });
}

export function useUpdateUser(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (patch: UserPatch) =>
      apiRequest<User>(`/api/users/${encodeURIComponent(userId)}`, { method: 'PUT', body: patch }),
    onSuccess: (user) => {
      // Keep the breakdown we had if the PUT answer lacks one; the refetch brings a fresh one.
      queryClient.setQueryData<User>(userKeys.detail(userId), (old) => ({ ...old, ...user }));
      void queryClient.invalidateQueries({ queryKey: userKeys.all });
      void queryClient.invalidateQueries({ queryKey: metricsKeys.all });
    },
  });
}

export function useDeleteUser(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: () =>
      apiRequest<{ deleted: boolean }>(`/api/users/${encodeURIComponent(userId)}`, { method: 'DELETE' }),
    // The detail entry is left to the page, which leaves first and then forgets it
    // (removing it while the page still watches it would refetch a 404).
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: userKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: metricsKeys.all });
    },
  });
}
