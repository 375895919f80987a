import type { ReactNode } from 'react';

export function KpiCard({ label, value, detail }: { label: string; value: ReactNode; detail?: ReactNode }) {
  return (
    <div className="kpi">
      <dt className="kpi__label">{label}</dt>
      <dd className="kpi__value">{value}</dd>
      {detail && <dd className="kpi__detail">{detail}</dd>}
    </div>
  );
}
