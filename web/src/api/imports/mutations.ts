import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CONTENT_TYPES, mapParam } from '../../lib/importFile';
import { apiRequest } from '../client';
import { importKeys } from './queries';
import type { ImportJob, ImportOptions } from './types';

/** Sends the whole file and starts its import; answers with the job to follow. */
export function useStartImport() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: ({ file, options }: { file: File; options: ImportOptions }) =>
      apiRequest<ImportJob>('/api/imports', {
        method: 'POST',
        query: {
          kind: options.kind,
          format: options.format,
          map: mapParam(options.map),
          ignoreUnknown: options.ignoreUnknown || undefined,
          skipInvalid: options.skipInvalid || undefined,
          dryRun: options.dryRun || undefined,
          sweep: options.sweep || undefined,
        },
        upload: { body: file, contentType: CONTENT_TYPES[options.format] },
      }),
    onSuccess: (job) => {
      queryClient.setQueryData(importKeys.detail(job.id), job);
      void queryClient.invalidateQueries({ queryKey: importKeys.lists() });
    },
  });
}
