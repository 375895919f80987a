// The table of numbers under every chart.

import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChartDataTable } from './ChartDataTable';

describe('ChartDataTable', () => {
  it('folds a captioned table with column headings and a row a data point under “Show the numbers”', () => {
    const { container } = render(
      <ChartDataTable
        caption="Emails per day"
        columns={['Day', 'Emails']}
        rows={[
          { key: '2026-03-01', cells: ['2026-03-01', 4] },
          { key: '2026-03-02', cells: ['2026-03-02', 0] },
        ]}
      />,
    );
    const details = container.querySelector('details.chart__data');
    expect(details).not.toBeNull();
    expect(details?.hasAttribute('open')).toBe(false);
    expect(details?.querySelector('summary')).toHaveTextContent('Show the numbers');

    const table = screen.getByRole('table', { name: 'Emails per day', hidden: true });
    expect(table).toHaveClass('table', 'table--compact');
    const headings = within(table).getAllByRole('columnheader', { hidden: true });
    expect(headings.map((h) => h.textContent)).toEqual(['Day', 'Emails']);
    headings.forEach((h) => expect(h).toHaveAttribute('scope', 'col'));

    const rows = table.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect([...rows].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['2026-03-01', '4'],
      ['2026-03-02', '0'],
    ]);
  });

  it('renders no body rows when there is no data', () => {
    const { container } = render(<ChartDataTable caption="Nothing" columns={['A', 'B']} rows={[]} />);
    expect(container.querySelectorAll('tbody tr')).toHaveLength(0);
    expect(container.querySelectorAll('thead th')).toHaveLength(2);
  });
});
