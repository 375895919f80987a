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
  /** Settings that must be set before sending may start (their JSON names). */
  missing: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

/** PUT /api/settings merges what it is given. */
export type SettingsPatch = Partial<Omit<Settings, 'missing' | 'updatedAt' | 'updatedBy'>>;
