// The preview of a file about to be imported: which column each field is read from (a
// select per field), the columns that match no field, and the first records.

import { useId } from 'react';
import type { ImportPreview } from '../api/imports/types';
import { columnOf, listWords } from '../lib/importFile';

export function ImportMapping({
  preview,
  ignoreUnknown,
  busy,
  onMap,
  onIgnoreUnknown,
}: {
  preview: ImportPreview;
  ignoreUnknown: boolean;
  /** A new preview (another mapping) is on its way. */
  busy: boolean;
  onMap: (field: string, column: string) => void;
  onIgnoreUnknown: (ignore: boolean) => void;
}) {
  const ignoreId = useId();
  const idPrefix = useId();
  const fieldOfColumn = new Map(Object.entries(preview.mapping).map(([field, column]) => [column, field]));

  return (
    <div className="import-preview" aria-busy={busy || undefined}>
      <section aria-labelledby={`${idPrefix}-mapping`}>
        <h3 id={`${idPrefix}-mapping`}>Columns</h3>
        <p className="field__hint">
          Each field is read from the column chosen for it; a field without a column is left as it is.
        </p>
        <div className="import-mapping">
          {preview.fields.map((field) => {
            const missing = preview.missing.includes(field);
            const id = `${idPrefix}-${field}`;
            return (
              <div key={field} className={`field${missing ? ' field--invalid' : ''}`}>
                <label htmlFor={id}>{field}</label>
                <select
                  id={id}
                  value={columnOf(preview.mapping, field)}
                  aria-invalid={missing || undefined}
                  aria-describedby={missing ? `${id}-error` : undefined}
                  onChange={(e) => onMap(field, e.target.value)}
                >
                  <option value="">(not mapped)</option>
                  {preview.columns.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
                {missing && (
                  <p className="field__error" id={`${id}-error`}>
                    Required: choose its column.
                  </p>
                )}
              </div>
            );
          })}
        </div>
      </section>

      {preview.unknown.length > 0 && (
        <div className={`note${ignoreUnknown ? '' : ' note--caution'}`} data-testid="import-unknown">
          <p>
            {preview.unknown.length === 1 ? 'Column' : 'Columns'} <strong>{listWords(preview.unknown)}</strong>{' '}
            {preview.unknown.length === 1 ? 'matches' : 'match'} no field. Map{' '}
            {preview.unknown.length === 1 ? 'it' : 'them'} above, or ignore{' '}
            {preview.unknown.length === 1 ? 'it' : 'them'}: the import refuses a file with columns it does not know, so
            that a misnamed column is not silently lost.
          </p>
          <div className="field field--check">
            <input
              id={ignoreId}
              type="checkbox"
              checked={ignoreUnknown}
              onChange={(e) => onIgnoreUnknown(e.target.checked)}
            />
            <label htmlFor={ignoreId}>Ignore unknown columns</label>
          </div>
        </div>
      )}

      <section aria-labelledby={`${idPrefix}-rows`}>
        <h3 id={`${idPrefix}-rows`}>First {preview.rows.length === 1 ? 'row' : `${preview.rows.length} rows`}</h3>
        {preview.rows.length === 0 ? (
          <p className="muted">The file’s start holds no record.</p>
        ) : (
          <div className="table-wrap" role="region" aria-label="First rows of the file" tabIndex={0}>
            <table className="table table--compact">
              <thead>
                <tr>
                  {preview.columns.map((c) => {
                    const field = fieldOfColumn.get(c);
                    return (
                      <th key={c} scope="col">
                        {c}
                        <div className="muted small">{field ? `→ ${field}` : 'not read'}</div>
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, i) => (
                  <tr key={i}>
                    {preview.columns.map((c, j) => (
                      <td key={c}>{row[j] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
