import { keepPreviousData, queryOptions, skipToken } from '@tanstack/react-query';
import { CONTENT_TYPES, mapParam, readSample } from '../../lib/importFile';
import { apiList, apiRequest } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { ImportFormat, ImportJob, ImportKind, ImportPreview } from './types';

/** How often a running import is asked for its progress. */
export const IMPORT_POLL_MS = 500;

export const importKeys = {
  all: ['imports'] as const,
  lists: () => [...importKeys.all, 'list'] as const,
  list: (limit: number) => [...importKeys.lists(), limit] as const,
  detail: (id: string) => [...importKeys.all, 'detail', id] as const,
};

/** One import: polled every IMPORT_POLL_MS while it runs, then left alone (its summary does not change). */
export function importJobQuery(id: string) {
  return queryOptions({
    queryKey: importKeys.detail(id),
    queryFn: ({ signal }) => apiRequest<ImportJob>(`/api/imports/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? IMPORT_POLL_MS : false),
  });
}

/** The latest imports, newest first; live, so one started elsewhere (the CLI) shows up. */
export function importListQuery(limit = 20) {
  return queryOptions({
    queryKey: importKeys.list(limit),
    queryFn: ({ signal }) => apiList<ImportJob>('/api/imports', { signal, query: { limit } }),
    refetchInterval: LIVE_REFRESH_MS,
  });
}

export interface PreviewParams {
  /** The chosen file; `fileKey` stands for it in the query key. */
  file: Blob;
  fileKey: string;
  kind: ImportKind;
  format: ImportFormat;
  /** field → column overrides; {} for the server's own mapping. */
  map: Record<string, string>;
  ignoreUnknown: boolean;
}

/**
 * How the server reads the file's first 64 KiB (cut after the last whole line): its
 * columns, the mapping and the first records. A read, though sent as a POST: each
 * mapping is asked once and kept, so going back to an earlier one costs nothing. No
 * request without a file (null).
 */
export function importPreviewQuery(p: PreviewParams | null) {
  return queryOptions({
    // The file is in the key as fileKey (name, size, time and the pick's number): a Blob
    // has no value a key could hash.
    queryKey: [...importKeys.all, 'preview', p?.fileKey, p?.kind, p?.format, p && mapParam(p.map), p?.ignoreUnknown],
    queryFn: p
      ? async ({ signal }) =>
          apiRequest<ImportPreview>('/api/imports/preview', {
            method: 'POST',
            signal,
            query: {
              kind: p.kind,
              format: p.format,
              map: mapParam(p.map),
              ignoreUnknown: p.ignoreUnknown || undefined,
            },
            upload: { body: await readSample(p.file), contentType: CONTENT_TYPES[p.format] },
          })
      : skipToken,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    placeholderData: keepPreviousData,
  });
}
