/** One step of the win-back journey: wait `delayDays` after the previous step, then send `message`. */
export interface JourneyStep {
  /** Days after the previous step (after the episode's start for the first). */
  delayDays: number;
  /** The message (template set) this step sends, e.g. "winback-1". */
  message: string;
}

/** GET /api/journey: the current journey; every saved edit is a new version. */
export interface Journey {
  version: number;
  steps: JourneyStep[];
  /** Days a client whose episode ended without an order is left alone. */
  restDays: number;
  /** What ends an episode early, e.g. "order", "unsubscribe", "bounce", "complaint". */
  exits: string[];
  /** The messages a step may send (the built-in template sets), when the server lists them. */
  messages?: string[];
  createdAt: string;
  createdBy: string;
}

/** PUT /api/journey. */
export interface JourneyEdit {
  steps: JourneyStep[];
  restDays: number;
}

/** POST /api/journey/dry-run: who the next sweep would email, computed by the pipeline's own rules. */
export interface DryRun {
  wouldEmail: number;
  byStep: { step: number; count: number }[];
  /** Due clients who wait: sending is paused, it is quiet hours for them, or a cap is reached. */
  notNow: { paused: number; quietHours: number; cap: number };
  /** Clients at risk who are not emailed at all. */
  skipped: { suppressed: number; heldOut: number; resting: number };
  /** Up to 20 of the clients who would be emailed. */
  sample: DryRunClient[];
  /** The journey version it was worked out with, when, and how long it took (newer servers). */
  journeyVersion?: number;
  at?: string;
  elapsedMs?: number;
}

export interface DryRunClient {
  userId: string;
  name: string;
  email: string;
  /** The step they would get, 1-based. */
  step: number;
  engagementScore: number;
}
