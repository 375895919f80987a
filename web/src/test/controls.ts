// Fixtures and a stateful fake of the journey, settings and sending API (issue 16), to
// spread into fakeApi's routes: pause and resume change what GET /api/sending answers,
// a PUT /api/settings merges and recomputes `missing`, a PUT /api/journey makes a version,
// and POST /api/test-email (issue 12) checks and answers as the contract says.

import type { DryRun, Journey } from '../api/journey/types';
import type { SendingState } from '../api/sending/types';
import type { Settings, TestEmailRequest } from '../api/settings/types';
import { fail, ok, type Handler } from './fakeApi';

export function aJourney(over: Partial<Journey> = {}): Journey {
  return {
    version: 1,
    steps: [
      { delayDays: 0, message: 'winback-1' },
      { delayDays: 10, message: 'winback-2' },
      { delayDays: 14, message: 'winback-3' },
    ],
    restDays: 90,
    exits: ['order', 'unsubscribe', 'bounce', 'complaint'],
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: 'default',
    ...over,
  };
}

export function someSettings(over: Partial<Settings> = {}): Settings {
  return {
    shopName: 'Loom & Co',
    senderName: 'Loom & Co',
    senderEmail: 'hello@loom.example',
    replyTo: null,
    postalAddress: '1 Mill Lane, Leeds',
    publicUrl: 'https://rekindle.loom.example',
    shopUrl: 'https://loom.example',
    timeZone: 'Europe/London',
    quietHours: { start: '21:00', end: '08:00' },
    dailyCap: 500,
    hourlyRate: 50,
    logoUrl: 'https://loom.example/logo.png',
    currency: 'GBP',
    signOff: 'The Loom team',
    missing: [],
    updatedAt: '2026-01-02T10:00:00Z',
    updatedBy: 'admin',
    ...over,
  };
}

/** A fresh install: nothing set, so sending waits for setup. */
export function freshSettings(): Settings {
  return someSettings({
    shopName: null,
    senderName: null,
    senderEmail: null,
    postalAddress: null,
    publicUrl: null,
    shopUrl: null,
    timeZone: null,
    quietHours: null,
    dailyCap: null,
    hourlyRate: null,
    logoUrl: null,
    currency: null,
    signOff: null,
    missing: ['senderName', 'senderEmail', 'postalAddress', 'publicUrl'],
    updatedAt: null,
    updatedBy: null,
  });
}

export function aSendingState(over: Partial<SendingState> = {}): SendingState {
  return {
    paused: false,
    reason: null,
    since: null,
    by: null,
    sentToday: 12,
    sentThisHour: 3,
    dailyCap: 500,
    hourlyRate: 50,
    quietHours: { start: '21:00', end: '08:00' },
    ...over,
  };
}

export function aDryRun(over: Partial<DryRun> = {}): DryRun {
  return {
    wouldEmail: 42,
    byStep: [
      { step: 1, count: 30 },
      { step: 2, count: 8 },
      { step: 3, count: 4 },
    ],
    notNow: { paused: 0, quietHours: 5, cap: 2 },
    skipped: { suppressed: 3, heldOut: 6, resting: 11 },
    sample: [
      { userId: 'u-7', name: 'Grace Hopper', email: 'grace@example.com', step: 1, engagementScore: 41.5 },
      { userId: 'u-9', name: 'Alan Turing', email: 'alan@example.com', step: 2, engagementScore: 62 },
    ],
    ...over,
  };
}

const REQUIRED = ['senderName', 'senderEmail', 'postalAddress', 'publicUrl'] as const;

/** The server's state behind the fake; tests read and change it. */
export interface ControlsState {
  settings: Settings;
  sending: SendingState;
  versions: Journey[];
  dryRun: DryRun;
  /** The clients a test email can be rendered for: id → name. */
  clients: Record<string, string>;
  /** The test emails the fake mailer sent. */
  testEmails: TestEmailRequest[];
  /** Set: the next test emails are refused with 429 and this Retry-After. */
  testEmailRetryAfter?: number;
  /** Set: the mailer refuses the next test emails (502) with this message. */
  mailerRefusal?: string;
}

export function controlsState(over: Partial<ControlsState> = {}): ControlsState {
  return {
    settings: someSettings(),
    sending: aSendingState(),
    versions: [aJourney()],
    dryRun: aDryRun(),
    clients: { 'u-7': 'Grace Hopper', 'u-9': 'Alan Turing' },
    testEmails: [],
    ...over,
  };
}

const SUBJECTS = ['We miss you, {name}', 'Still thinking of you, {name}', 'One last thing, {name}'];

/** Routes for fakeApi over `state`, behaving as the contract says. */
export function controlsRoutes(state: ControlsState): Record<string, Handler> {
  return {
    'GET /api/settings': () => ok(state.settings),
    'PUT /api/settings': (req) => {
      const patch = req.body as Partial<Settings>;
      const merged = { ...state.settings, ...patch, updatedAt: '2026-01-03T09:00:00Z', updatedBy: 'admin' };
      merged.missing = REQUIRED.filter((k) => !merged[k]);
      state.settings = merged;
      return ok(merged);
    },
    'GET /api/sending': () => ok(state.sending),
    'POST /api/sending/pause': () => {
      state.sending = { ...state.sending, paused: true, reason: 'manual', since: '2026-01-03T09:30:00Z', by: 'admin' };
      return ok(state.sending);
    },
    'POST /api/sending/resume': () => {
      const first = state.settings.missing[0];
      if (first) return fail(409, 'failed_precondition', `${first} must be set before sending can resume`, first);
      state.sending = { ...state.sending, paused: false, reason: null, since: null, by: null };
      return ok(state.sending);
    },
    'GET /api/journey': () => ok(state.versions[0]),
    'PUT /api/journey': (req) => {
      const body = req.body as Pick<Journey, 'steps' | 'restDays'>;
      const current = state.versions[0] ?? aJourney();
      const next = {
        ...current,
        ...body,
        version: current.version + 1,
        createdAt: '2026-01-03T10:00:00Z',
        createdBy: 'admin',
      };
      state.versions = [next, ...state.versions];
      return ok(next);
    },
    'GET /api/journey/versions': () => ok(state.versions),
    'POST /api/journey/dry-run': () => ok(state.dryRun),
    'POST /api/test-email': (req) => {
      const body = req.body as Partial<TestEmailRequest>;
      const steps = state.versions[0]?.steps.length ?? 1;
      if (typeof body.to !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.to))
        return fail(400, 'invalid_argument', 'to must be an email address', 'to');
      const step = body.step ?? 1;
      if (!Number.isInteger(step) || step < 1 || step > steps)
        return fail(400, 'invalid_argument', `step must be between 1 and ${steps}`, 'step');
      const name = body.userId === undefined ? 'Sam Sample' : state.clients[body.userId];
      if (name === undefined) return fail(404, 'not_found', `no user ${body.userId}`, 'userId');
      const first = state.settings.missing[0];
      if (first)
        return fail(
          409,
          'failed_precondition',
          `a test email needs ${state.settings.missing.join(', ')} to be set`,
          first,
        );
      if (state.testEmailRetryAfter !== undefined)
        return {
          ...fail(429, 'rate_limited', 'too many test emails'),
          headers: { 'Retry-After': String(state.testEmailRetryAfter) },
        };
      if (state.mailerRefusal) return fail(502, 'unavailable', state.mailerRefusal);
      state.testEmails.push(body as TestEmailRequest);
      const subject = (SUBJECTS[step - 1] ?? SUBJECTS[0]!).replace('{name}', name.split(' ')[0] ?? name);
      return ok({
        to: body.to,
        subject: `[Test] ${subject}`,
        step,
        steps,
        client: { userId: body.userId ?? null, name, sample: body.userId === undefined },
        delivery: 'accepted by smtp.loom.example',
      });
    },
  };
}
