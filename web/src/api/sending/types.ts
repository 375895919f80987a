import type { QuietHours } from '../settings/types';

/** GET /api/sending (and the answer of pause and resume): is Rekindle sending, and how much. */
export interface SendingState {
  paused: boolean;
  /** "setup": a fresh install waits for its settings; "manual": someone paused it. */
  reason: 'setup' | 'manual' | null;
  since: string | null;
  /** Who paused it (an API key's name, "cli", …). */
  by: string | null;
  sentToday: number;
  sentThisHour: number;
  dailyCap: number | null;
  hourlyRate: number | null;
  quietHours: QuietHours | null;
}
