import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** A key figure; with `to`, the figure links to the list it counts (issue 16). */
export function KpiCard({
  label,
  value,
  detail,
  to,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  to?: string;
}) {
  return (
    <div className="kpi">
      <dt className="kpi__label">{label}</dt>
      <dd className="kpi__value">
        {to ? (
          <Link
            to={to}
            className="kpi__link"
            aria-label={`${label}: ${typeof value === 'string' ? value : ''}, show the list`}
          >
            {value}
          </Link>
        ) : (
          value
        )}
      </dd>
      {detail && <dd className="kpi__detail">{detail}</dd>}
    </div>
  );
}
