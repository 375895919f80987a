import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { useStartImport } from '../api/imports/mutations';
import { importJobQuery, importKeys, importListQuery, importPreviewQuery } from '../api/imports/queries';
import { IMPORT_FORMATS, type ImportFormat, type ImportJob, type ImportKind } from '../api/imports/types';
import { userKeys } from '../api/users/queries';
import { ImportJobView } from '../components/ImportJobView';
import { ImportMapping } from '../components/ImportMapping';
import { Empty, ErrorState, errorMessage, Loading } from '../components/StatusViews';
import { formatCount, formatDateTime } from '../lib/format';
import {
  columnOf,
  FORMAT_LABELS,
  formatBytes,
  formatFromFileName,
  REQUIRED_WORDS,
  startBlockers,
  unmappableColumns,
} from '../lib/importFile';
import { usePageTitle } from '../lib/usePageTitle';

interface Chosen {
  file: File;
  /** Stands for the file in query keys; a new pick of the same file is a new key. */
  key: string;
}

/**
 * Import (issue 10): a file of clients or orders, previewed with its column mapping,
 * then sent whole to POST /api/imports and followed until its summary. The kind and the
 * import on show live in the URL (?kind=orders&id=…).
 */
export function ImportPage() {
  usePageTitle('Import');
  const [params, setParams] = useSearchParams();
  const kind: ImportKind = params.get('kind') === 'orders' ? 'orders' : 'clients';
  const jobId = params.get('id');
  const ids = { kind: useId(), file: useId(), format: useId(), skip: useId(), dry: useId(), sweep: useId() };

  const [chosen, setChosen] = useState<Chosen | null>(null);
  const picks = useRef(0);
  const [format, setFormat] = useState<ImportFormat>('csv');
  const [formatDetected, setFormatDetected] = useState<boolean | null>(null);
  const [overrides, setOverrides] = useState<Record<string, string>>({});
  const [ignoreUnknown, setIgnoreUnknown] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [sweep, setSweep] = useState(false);
  const [dragging, setDragging] = useState(false);
  const start = useStartImport();

  function choose(file: File | undefined) {
    if (!file) return;
    picks.current += 1;
    setChosen({ file, key: `${picks.current}:${file.name}:${file.size}:${file.lastModified}` });
    const detected = formatFromFileName(file.name);
    if (detected) setFormat(detected);
    setFormatDetected(detected !== null);
    setOverrides({});
    setIgnoreUnknown(false);
    start.reset();
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files[0]);
  }

  const previewParams = chosen && { file: chosen.file, fileKey: chosen.key, kind, format, ignoreUnknown };
  // The server's own mapping (no override), kept to tell which choices differ from it.
  const detected = useQuery(importPreviewQuery(previewParams && { ...previewParams, map: {} }));
  const preview = useQuery(importPreviewQuery(previewParams && { ...previewParams, map: overrides }));

  function map(field: string, column: string) {
    const auto = detected.data ? columnOf(detected.data.mapping, field) : undefined;
    setOverrides((o) => {
      const next = { ...o };
      if (column === auto) delete next[field];
      else next[field] = column;
      return next;
    });
    start.reset();
  }

  const current = preview.data && !preview.isPlaceholderData ? preview.data : null;
  const blockers = current ? startBlockers(current, ignoreUnknown) : [];
  const badColumns = unmappableColumns(overrides);
  const canStart = chosen !== null && current !== null && blockers.length === 0 && badColumns.length === 0;

  function onStart() {
    if (!chosen || !canStart) return;
    start.mutate(
      {
        file: chosen.file,
        options: { kind, format, map: overrides, ignoreUnknown, skipInvalid, dryRun, sweep: sweep && !dryRun },
      },
      { onSuccess: (job) => setParams({ ...(kind === 'orders' ? { kind } : {}), id: job.id }) },
    );
  }

  return (
    <div className="page">
      <header className="page__header">
        <h1>Import</h1>
        <p className="page__lead">
          Bring a shop’s clients and order history in from a CSV, JSON Lines or CDNOW file. Importing the same file
          again changes nothing.
        </p>
      </header>

      <form
        className="panel form"
        aria-label="Import a file"
        onSubmit={(e) => {
          e.preventDefault();
          onStart();
        }}
      >
        <div className="import-choose">
          <div className="field">
            <label htmlFor={ids.kind}>What the file holds</label>
            <select
              id={ids.kind}
              value={kind}
              onChange={(e) => {
                setParams(e.target.value === 'orders' ? { kind: 'orders' } : {});
                setOverrides({});
                start.reset();
              }}
            >
              <option value="clients">Clients</option>
              <option value="orders">Orders</option>
            </select>
          </div>
          <div
            className={`import-drop${dragging ? ' import-drop--over' : ''}`}
            data-testid="import-drop"
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <label htmlFor={ids.file}>File</label>
            <input
              id={ids.file}
              type="file"
              accept=".csv,.jsonl,.ndjson,.txt,text/csv,application/x-ndjson,text/plain"
              onChange={(e) => {
                choose(e.target.files?.[0]);
                // So that picking the same file again (a re-import) is a change too.
                e.target.value = '';
              }}
            />
            <p className="field__hint">
              {chosen ? (
                <>
                  <strong data-testid="import-file">{chosen.file.name}</strong>, {formatBytes(chosen.file.size)}
                </>
              ) : (
                'Or drop a file here.'
              )}
            </p>
          </div>
          <div className="field">
            <label htmlFor={ids.format}>Format</label>
            <select id={ids.format} value={format} onChange={(e) => setFormat(e.target.value as ImportFormat)}>
              {IMPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABELS[f]}
                </option>
              ))}
            </select>
            {chosen && formatDetected === false && (
              <p className="field__hint">The file’s extension names no format: choose it.</p>
            )}
          </div>
        </div>
        <p className="field__hint">{REQUIRED_WORDS[kind]}</p>

        {chosen &&
          (preview.isPending ? (
            <Loading label="Reading the file’s first rows…" />
          ) : preview.isError ? (
            <ErrorState
              title="The server could not read this file"
              error={preview.error}
              onRetry={() => void preview.refetch()}
            />
          ) : (
            <ImportMapping
              preview={preview.data}
              ignoreUnknown={ignoreUnknown}
              busy={preview.isPlaceholderData}
              onMap={map}
              onIgnoreUnknown={setIgnoreUnknown}
            />
          ))}

        <fieldset className="settings-group">
          <legend>Options</legend>
          <div className="field field--check">
            <input
              id={ids.skip}
              type="checkbox"
              checked={skipInvalid}
              onChange={(e) => setSkipInvalid(e.target.checked)}
            />
            <label htmlFor={ids.skip}>Skip invalid rows</label>
          </div>
          <p className="field__hint">
            Off: the first bad row stops the import, and nothing from the file is written. On: the good rows are
            imported and the bad ones listed.
          </p>
          <div className="field field--check">
            <input id={ids.dry} type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
            <label htmlFor={ids.dry}>Dry run</label>
          </div>
          <p className="field__hint">Checks every row and counts what would change; writes nothing.</p>
          <div className="field field--check">
            <input
              id={ids.sweep}
              type="checkbox"
              checked={sweep && !dryRun}
              disabled={dryRun}
              onChange={(e) => setSweep(e.target.checked)}
            />
            <label htmlFor={ids.sweep}>Send at once (sweep)</label>
          </div>
          <p className="field__hint">
            {sweep && !dryRun
              ? 'A sweep runs as soon as the import ends: clients it finds at risk may be emailed at once.'
              : 'Nothing is emailed until the next sweep: the import records the history and refreshes the scores.'}
          </p>
        </fieldset>

        {(blockers.length > 0 || badColumns.length > 0) && (
          <ul className="form-error import-blockers" role="alert" aria-label="Why the import cannot start">
            {blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
            {badColumns.map((c) => (
              <li key={c}>The column “{c}” holds a comma, which a mapping cannot name: rename it in the file.</li>
            ))}
          </ul>
        )}
        {start.error && <StartError error={start.error} />}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={!canStart || start.isPending}>
            {start.isPending ? 'Sending the file…' : dryRun ? 'Start dry run' : 'Start import'}
          </button>
        </div>
      </form>

      {jobId && <JobPanel id={jobId} />}
      <RecentImports kind={kind} />
    </div>
  );
}

/** A refused start: the server's message and the parameter it names (400), or the size limit (413). */
function StartError({ error }: { error: Error }) {
  const api = isApiError(error) ? error : null;
  return (
    <div className="form-error" role="alert" data-testid="import-start-error">
      <p>
        {api?.status === 413 ? 'The file is larger than the server accepts. ' : ''}
        {errorMessage(error)}
      </p>
      {api?.field && <p className="small">About: {api.field}</p>}
    </div>
  );
}

function JobPanel({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const job = useQuery(importJobQuery(id));
  const status = job.data?.status;
  const dryRun = job.data?.dryRun;
  // An import that wrote changes the clients, their scores and the list of imports.
  useEffect(() => {
    if (status === undefined || status === 'running') return;
    void queryClient.invalidateQueries({ queryKey: importKeys.lists() });
    if (!dryRun) void queryClient.invalidateQueries({ queryKey: userKeys.all });
  }, [status, dryRun, queryClient]);

  return (
    <section className="panel" aria-labelledby="import-job-title">
      <div className="panel__header">
        <h2 id="import-job-title">
          {status === 'running' ? 'Importing' : status === 'failed' ? 'Import failed' : 'Import summary'}
        </h2>
      </div>
      {job.isPending ? (
        <Loading label="Loading the import…" />
      ) : job.isError ? (
        <ErrorState title="Could not load this import" error={job.error} onRetry={() => void job.refetch()} />
      ) : (
        <ImportJobView job={job.data} now={new Date(job.dataUpdatedAt)} />
      )}
    </section>
  );
}

const STATUS_BADGE: Record<string, string> = { running: 'badge--info', done: 'badge--muted', failed: 'badge--stop' };

function RecentImports({ kind }: { kind: ImportKind }) {
  const list = useQuery(importListQuery());
  const linkTo = (j: ImportJob) => `?${new URLSearchParams({ ...(kind === 'orders' ? { kind } : {}), id: j.id })}`;
  return (
    <section className="panel" aria-labelledby="recent-imports">
      <div className="panel__header">
        <h2 id="recent-imports">Recent imports</h2>
      </div>
      {list.isPending ? (
        <Loading label="Loading imports…" />
      ) : list.isError ? (
        <ErrorState title="Could not load the imports" error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty>No import yet.</Empty>
      ) : (
        <div className="table-wrap" role="region" aria-label="List of recent imports" tabIndex={0}>
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col" className="num">
                  Imported
                </th>
                <th scope="col" className="num">
                  Updated
                </th>
                <th scope="col" className="num">
                  Unchanged
                </th>
                <th scope="col" className="num">
                  Rejected
                </th>
                <th scope="col" className="hide-sm">
                  By
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((j) => (
                <tr key={j.id}>
                  <td>
                    <Link to={linkTo(j)}>{formatDateTime(j.startedAt)}</Link>
                  </td>
                  <td>
                    {j.kind} <span className="muted small">({j.format})</span>
                  </td>
                  <td>
                    <span className={`badge ${STATUS_BADGE[j.status] ?? 'badge--muted'}`}>{j.status}</span>
                    {j.dryRun && <span className="badge badge--info">dry run</span>}
                  </td>
                  <td className="num">{formatCount(j.rows)}</td>
                  <td className="num">{formatCount(j.imported)}</td>
                  <td className="num">{formatCount(j.updated)}</td>
                  <td className="num">{formatCount(j.unchanged)}</td>
                  <td className="num">{formatCount(j.rejected)}</td>
                  <td className="hide-sm">{j.createdBy ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
