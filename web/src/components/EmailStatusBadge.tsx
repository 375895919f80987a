export function EmailStatusBadge({ status }: { status: string }) {
  const known = ['GENERATED', 'SENT', 'OPENED', 'CLICKED', 'FAILED'].includes(status);
  return <span className={`status status--${known ? status.toLowerCase() : 'unknown'}`}>{status.toLowerCase()}</span>;
}
