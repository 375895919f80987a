// The "Show the numbers" table under a chart: the same numbers as the chart, for screen
// readers and for anyone who wants the figures, folded away until asked for.

import type { Key, ReactNode } from 'react';

export interface ChartDataRow {
  key: Key;
  /** One cell per column, in the columns' order. */
  cells: ReactNode[];
}

export function ChartDataTable({
  caption,
  columns,
  rows,
}: {
  caption: ReactNode;
  /** The column headings, left to right. */
  columns: string[];
  rows: ChartDataRow[];
}) {
  return (
    <details className="chart__data">
      <summary>Show the numbers</summary>
      <table className="table table--compact">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              {r.cells.map((cell, i) => (
                <td key={i}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
