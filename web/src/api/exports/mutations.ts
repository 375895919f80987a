import { useMutation } from '@tanstack/react-query';
import { apiDownload, type QueryValue } from '../client';
import { fallbackFilename, saveBlob } from '../../lib/download';

/** What GET /api/exports/:resource streams: every row matching the filters, no paging. */
export type ExportResource = 'clients' | 'emails' | 'orders';

/**
 * Downloads an export as CSV and hands it to the browser to save, under the name the
 * server gives (clients-YYYYMMDD.csv). A failure is a notice (the query client's
 * central handler), as for any action without a form.
 */
export function useDownloadExport(resource: ExportResource) {
  return useMutation({
    mutationFn: async (filters: Record<string, QueryValue>) => {
      const { blob, filename } = await apiDownload(`/api/exports/${resource}`, { query: filters });
      const name = filename ?? fallbackFilename(resource);
      saveBlob(blob, name);
      return name;
    },
  });
}
