import type { QueryValue } from '../api/client';
import { useDownloadExport, type ExportResource } from '../api/exports/mutations';

// "Download CSV" of a list: every row matching the list's current filter (`query`, the
// list's own parameters), not only the page on screen.
export function DownloadCsvButton({
  resource,
  query,
}: {
  resource: ExportResource;
  query: Record<string, QueryValue>;
}) {
  const download = useDownloadExport(resource);
  const hintId = `${resource}-download-hint`;
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={download.isPending}
        aria-describedby={hintId}
        onClick={() => download.mutate(query)}
      >
        {download.isPending ? 'Preparing CSV…' : 'Download CSV'}
      </button>
      <span id={hintId} className="sr-only">
        Every {resource === 'clients' ? 'client' : 'email'} matching the filters, not only this page
      </span>
    </>
  );
}
