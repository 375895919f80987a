export const EMAIL_STATUSES = ['GENERATED', 'SENT', 'OPENED', 'CLICKED', 'FAILED'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** A re-engagement email written (and perhaps sent) for a client. */
export interface Email {
  emailId: string;
  userId: string;
  subject: string;
  /** The plain-text body. */
  content: string;
  /** The HTML body; rendered only inside a sandboxed iframe. */
  html?: string;
  generatedAt: string;
  engagementScoreAtTime: number;
  status: EmailStatus | string;
  writer?: 'template' | 'openai' | string;
  sentAt?: string | null;
  error?: string;
  createdAt: string;
}

export interface EmailListParams {
  limit: number;
  cursor?: string | null;
  status?: EmailStatus | '';
}
