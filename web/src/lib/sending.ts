// Words for the sending state shown in the header and on the Settings page. Pure.

import type { SendingState } from '../api/sending/types';
import { formatCount, formatDateTime } from './format';

/** "Paused for setup", "Paused by ops", "Sending". */
export function sendingHeadline(s: Pick<SendingState, 'paused' | 'reason' | 'by'>): string {
  if (!s.paused) return 'Sending';
  if (s.reason === 'setup') return 'Paused for setup';
  return s.by ? `Paused by ${s.by}` : 'Paused';
}

/** "12 today of 500 · 3 this hour of 50"; caps that are not set are left out. */
export function sendingVolume(s: Pick<SendingState, 'sentToday' | 'sentThisHour' | 'dailyCap' | 'hourlyRate'>): string {
  const today = `${formatCount(s.sentToday)} today${s.dailyCap ? ` of ${formatCount(s.dailyCap)}` : ''}`;
  const hour = `${formatCount(s.sentThisHour)} this hour${s.hourlyRate ? ` of ${formatCount(s.hourlyRate)}` : ''}`;
  return `${today} · ${hour}`;
}

/** A longer sentence for a tooltip or the Settings page. */
export function sendingDetail(s: SendingState): string {
  if (!s.paused) return `Rekindle is sending. ${sendingVolume(s)}.`;
  const since = s.since ? ` since ${formatDateTime(s.since)}` : '';
  if (s.reason === 'setup')
    return `Paused${since} until the shop’s sender details are set. Nothing is lost: due emails wait and go out after resume.`;
  return `Paused${s.by ? ` by ${s.by}` : ''}${since}. Due emails wait and go out in order after resume.`;
}
