/** Previous / Next through a cursor-paginated list. */
export function Pager({
  page,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  busy = false,
  label,
}: {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  busy?: boolean;
  label: string;
}) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button" onClick={onPrevious} disabled={!hasPrevious || busy}>
        ← Previous
      </button>
      <span className="pager__page" aria-live="polite">
        Page {page}
      </span>
      <button type="button" className="button" onClick={onNext} disabled={!hasNext || busy}>
        Next →
      </button>
    </nav>
  );
}
