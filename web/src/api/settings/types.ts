/** Hours when nobody is emailed, in the client's time zone (else the shop's); "HH:MM". */
export interface QuietHours {
  start: string;
  end: string;
}

/** GET /api/settings: the shop's sending settings. */
export interface Settings {
  shopName: string | null;
  senderName: string | null;
  senderEmail: string | null;
  replyTo: string | null;
  postalAddress: string | null;
  publicUrl: string | null;
  shopUrl: string | null;
  /** IANA name, e.g. "Europe/Paris". */
  timeZone: string | null;
  quietHours: QuietHours | null;
  /** Emails per day at most; null for no cap. */
  dailyCap: number | null;
  /** Emails per hour at most; null for no limit. */
  hourlyRate: number | null;
  /** An absolute https:// URL of the shop's logo, shown at the top of every email (2048 chars at most). */
  logoUrl?: string | null;
  /** ISO 4217 code amounts in the emails are written in; null means USD. */
  currency?: string | null;
  /** The line an email ends with, e.g. "The Acme team" (100 chars at most, one line). */
  signOff?: string | null;
  /** Settings that must be set before sending may start (their JSON names). */
  missing: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

/** PUT /api/settings merges what it is given. */
export type SettingsPatch = Partial<Omit<Settings, 'missing' | 'updatedAt' | 'updatedBy'>>;

/** POST /api/test-email: the win-back email, rendered as a client would get it, sent to `to`. */
export interface TestEmailRequest {
  to: string;
  /** The client to render it for; left out for the built-in sample client. */
  userId?: string;
  /** The journey step, 1-based; the server's default (1) when left out. */
  step?: number;
}

export interface TestEmailResult {
  to: string;
  subject: string;
  /** The step rendered, 1-based, and how many the journey has. */
  step: number;
  steps: number;
  client: {
    userId: string | null;
    name: string;
    /** True when rendered for the built-in sample client. */
    sample: boolean;
  };
  /** What the mailer said of it. */
  delivery: string;
}
