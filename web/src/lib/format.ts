// Formatting for display. Pure; `now` is a parameter wherever time matters so tests can
// pin it.

const DAY_MS = 86_400_000;

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "12 Mar 2026" in the viewer's time zone, or an em dash for no date. */
export function formatDate(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return '—';
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** "14:05" in the viewer's time zone, or an em dash for no time. */
export function formatTime(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return '—';
  return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
}

/** "12 Mar 2026, 14:05" in the viewer's time zone, like every date shown. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!parse(iso)) return '—';
  return `${formatDate(iso)}, ${formatTime(iso)}`;
}

/** Whole days from `iso` to `now` (floor), as the score rule counts them; null for no date. */
export function daysSince(iso: string | null | undefined, now: Date = new Date()): number | null {
  const d = parse(iso);
  if (!d) return null;
  return Math.floor((now.getTime() - d.getTime()) / DAY_MS);
}

/** "today", "yesterday", "5 days ago", "in the future". */
export function formatDaysAgo(iso: string | null | undefined, now: Date = new Date()): string {
  const days = daysSince(iso, now);
  if (days === null) return 'never';
  if (days < 0) return 'in the future';
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

const money = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A decimal amount in the shop's currency (the API does not name one). */
export function formatMoney(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return money.format(value);
}

/**
 * Scores to one decimal at most, never rounded: 74.96 shows as 74.9, so a score below
 * the threshold never reads as the threshold itself.
 */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const tenths = Math.floor(value * 10 + 1e-9) / 10;
  return Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1);
}

/** A signed number of points: "+15", "−40", "0". */
export function formatPoints(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  if (rounded > 0) return `+${rounded}`;
  if (rounded < 0) return `−${Math.abs(rounded)}`;
  return '0';
}

/** A share in 0..1 as "12.5%". */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  const pct = share * 100;
  return `${pct >= 10 || pct === 0 ? Math.round(pct) : pct.toFixed(1)}%`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-GB');
}

/** An age in seconds as "45 s", "12 min", "3 h", "2 d". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/** "3 Mar" for a "YYYY-MM-DD" day, as a chart's axis labels it. */
export function shortDate(date: string): string {
  const [, m, d] = date.split('-');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(d)} ${months[Number(m) - 1] ?? ''}`;
}

/** "YYYY-MM-DD" of a date in the viewer's time zone (what <input type="date"> holds). */
export function toDateInputValue(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/** The <input type="date"> value for an RFC 3339 time, in the viewer's time zone. */
export function isoToDateInput(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? toDateInputValue(d) : '';
}

/**
 * An <input type="date"> value as RFC 3339: local midnight of that day, so "today" is
 * never in the future for the server. Null for a value that is not a real date.
 */
export function dateInputToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date.toISOString();
}

/** A server message as a sentence: capital first letter, full stop at the end. */
export function toSentence(message: string): string {
  const m = message.trim();
  if (!m) return m;
  const first = m.charAt(0).toUpperCase() + m.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
