/** GET /api/alerts: whether sending is failing, for the overview's banner. */
export interface Alerts {
  status: 'ok' | 'degraded';
  /** One sentence per reason; empty when all is well. */
  reasons: string[];
  /** Failed deliveries count for this many minutes. */
  windowMinutes: number;
  /** Emails marked FAILED (the server refused them, or every retry failed) in the window. */
  failedDeliveries: number;
  /** Events set aside after failing every receive, across the queues. */
  deadLetters: number;
  deadLetterQueues: { name: string; deadLetters: number }[];
  /** The newest failed email's error, else a dead letter's; null when nothing failed. */
  lastError: string | null;
  /** When it failed (ISO 8601); null when nothing failed. */
  at: string | null;
  /** The failed email behind lastError, when it came from one. */
  emailId: string | null;
  userId: string | null;
  /** The dead-letter queue behind lastError, when no email failed in the window. */
  queue: string | null;
  checkedAt: string;
}
