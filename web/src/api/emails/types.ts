export const EMAIL_STATUSES = ['GENERATED', 'SENT', 'OPENED', 'CLICKED', 'FAILED'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** A re-engagement email written (and perhaps sent) for a client. */
export interface Email {
  emailId: string;
  userId: string;
  subject: string;
  /**
   * The body as a sanitized HTML fragment made from the plain text (the seed's field):
   * paragraphs and links, no tracking. An older server sent the plain text here.
   */
  content: string;
  /** The plain-text body (absent from an older server: then `content` is the text). */
  text?: string;
  /**
   * The HTML body as sent, open pixel and tracked links included: never rendered. Only
   * GET /api/emails/:emailId has it (not the lists).
   */
  html?: string;
  /**
   * The HTML to preview: `html` without the open pixel, its links pointing where they
   * lead rather than through the click tracker, so viewing it marks nothing opened or
   * clicked. Only GET /api/emails/:emailId has it (not the lists).
   */
  previewHtml?: string;
  generatedAt: string;
  engagementScoreAtTime: number;
  /** One of EMAIL_STATUSES; a newer server may send others, shown as they are. */
  status: string;
  /** `template` or `openai`; a newer server may name others. */
  writer?: string;
  sentAt?: string | null;
  /** When the open pixel was first fetched (unreliable: mail privacy features fetch it too). */
  openedAt?: string | null;
  /** When a tracked link was first followed. */
  clickedAt?: string | null;
  /** When an order within the attribution window made this email a conversion. */
  convertedAt?: string | null;
  /** That order's value. */
  conversionRevenue?: number | null;
  error?: string;
  createdAt: string;
  /** The journey episode and step (1..N) it is, when the server runs journeys. */
  episodeId?: string | null;
  step?: number | null;
  /** The targeting rule that chose the client: score, churn or score+churn (issue 11). */
  targetingRule?: string | null;
  /** Whom it went to: only in GET /api/emails (issue 16). */
  userName?: string | null;
  userEmail?: string | null;
}

export interface EmailListParams {
  limit: number;
  cursor?: string | null;
  status?: EmailStatus | '';
  step?: number | null;
  /** Dates (YYYY-MM-DD), both included. */
  from?: string;
  to?: string;
  q?: string;
}

/** An email's plain-text body, from this server (`text`) or an older one (`content`). */
export function plainText(email: Pick<Email, 'text' | 'content'>): string {
  return email.text ?? email.content;
}
