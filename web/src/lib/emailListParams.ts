// The Emails page's filters and page live in the URL (?status=…&step=…&from=…&to=…&q=…
// &cursor=…&page=…), so a filtered view, and the page of it, can be bookmarked, shared
// and reloaded. Parsing is lenient: anything unknown falls back to the default.

import { EMAIL_STATUSES, type EmailStatus } from '../api/emails/types';

export interface EmailFilters {
  status: EmailStatus | '';
  /** The journey step, 1..100; null for any. */
  step: number | null;
  /** Dates (YYYY-MM-DD), both included; '' for open. */
  from: string;
  to: string;
  /** Text in the subject or the client's name or email. */
  q: string;
}

export interface EmailListLocation extends EmailFilters {
  cursor: string | null;
  /** The page's number (1 for the first), shown beside the pager. */
  page: number;
}

export const DEFAULT_EMAIL_FILTERS: EmailFilters = { status: '', step: null, from: '', to: '', q: '' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(v: string | null): v is string {
  return v !== null && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
}

export function parseEmailLocation(params: URLSearchParams): EmailListLocation {
  const rawStatus = params.get('status') ?? '';
  const status = (EMAIL_STATUSES as readonly string[]).includes(rawStatus) ? (rawStatus as EmailStatus) : '';
  const rawStep = Number(params.get('step'));
  const step = Number.isInteger(rawStep) && rawStep >= 1 && rawStep <= 100 ? rawStep : null;
  const from = params.get('from');
  const to = params.get('to');
  const cursor = params.get('cursor');
  const rawPage = Number(params.get('page'));
  const page = cursor && Number.isInteger(rawPage) && rawPage >= 2 ? rawPage : 1;
  return {
    status,
    step,
    from: isDate(from) ? from : '',
    to: isDate(to) ? to : '',
    q: (params.get('q') ?? '').slice(0, 200),
    cursor: page > 1 ? cursor : null,
    page,
  };
}

/** The filters alone, leaving out defaults: a change of filter starts at the first page. */
export function emailFiltersToParams(f: EmailFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.status) p.set('status', f.status);
  if (f.step !== null) p.set('step', String(f.step));
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.q.trim()) p.set('q', f.q.trim());
  return p;
}

export function emailLocationToParams(l: EmailListLocation): URLSearchParams {
  const p = emailFiltersToParams(l);
  if (l.cursor && l.page > 1) {
    p.set('cursor', l.cursor);
    p.set('page', String(l.page));
  }
  return p;
}

export function hasEmailFilters(f: EmailFilters): boolean {
  return emailFiltersToParams(f).toString() !== '';
}
