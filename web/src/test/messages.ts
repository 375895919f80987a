// A stateful fake of the messages API (issue 12), to spread into fakeApi's routes: a PUT
// makes a version (or answers 409 when `baseVersion` is not the current one), a POST adds
// a message, and the preview renders `{{placeholders}}` for the sample or a known client.
// A draft with an unknown placeholder gets a `problem`; one with an unclosed `{{` a 400.

import type { Message, MessagePreview, MessageSummary, MessageTemplates, MessageVersion } from '../api/messages/types';
import { fail, ok, type FakeRequest, type Handler } from './fakeApi';

/** One stored version of a message. */
export interface StoredVersion extends MessageTemplates {
  version: number;
  note: string;
  createdAt: string | null;
  createdBy: string | null;
}

export interface StoredMessage {
  name: string;
  /** Newest first; the last is version 0 for a built-in message. */
  versions: StoredVersion[];
  steps: number[];
}

export interface MessagesState {
  messages: StoredMessage[];
  placeholders: string[];
  /** Clients the preview knows by id (any other id is a 404). */
  clients: Record<string, string>;
}

export const PLACEHOLDERS = ['firstName', 'shopName', 'lastOrderDate', 'unsubscribeUrl'];

export function builtIn(n: number, over: Partial<StoredVersion> = {}): StoredVersion {
  return {
    version: 0,
    subject: `We miss you, {{firstName}} (${n})`,
    text: `Hello {{firstName}},\n\nIt has been a while since {{lastOrderDate}}.\n\n{{unsubscribeUrl}}`,
    html: `<p>Hello {{firstName}},</p><p>It has been a while.</p><a href="{{unsubscribeUrl}}">Unsubscribe</a>`,
    instructions: '',
    note: '',
    createdAt: null,
    createdBy: null,
    ...over,
  };
}

export function messagesState(over: Partial<MessagesState> = {}): MessagesState {
  return {
    messages: [
      {
        name: 'winback-1',
        steps: [1],
        versions: [
          builtIn(1, {
            version: 1,
            subject: 'Still thinking of you, {{firstName}}',
            instructions: 'Warm and short.',
            note: 'Warmer subject',
            createdAt: '2026-01-02T10:00:00Z',
            createdBy: 'admin',
          }),
          builtIn(1),
        ],
      },
      { name: 'winback-2', steps: [2], versions: [builtIn(2)] },
      { name: 'last-call', steps: [], versions: [builtIn(9, { version: 0 })] },
    ],
    placeholders: PLACEHOLDERS,
    clients: { 'u-7': 'Grace Hopper' },
    ...over,
  };
}

function summary(m: StoredMessage): MessageSummary {
  const v = m.versions[0]!;
  return {
    name: m.name,
    version: v.version,
    builtIn: v.version === 0,
    subject: v.subject,
    note: v.note,
    updatedAt: v.createdAt,
    updatedBy: v.createdBy,
    steps: m.steps,
  };
}

function record(m: StoredMessage, v: StoredVersion) {
  return {
    name: m.name,
    version: v.version,
    builtIn: v.version === 0,
    subject: v.subject,
    text: v.text,
    html: v.html,
    instructions: v.instructions,
    note: v.note,
    updatedAt: v.createdAt,
    updatedBy: v.createdBy,
    steps: m.steps,
    currentVersion: m.versions[0]!.version,
  };
}

function detail(state: MessagesState, m: StoredMessage, v: StoredVersion): Message {
  const versions: MessageVersion[] = m.versions.map(({ version, note, createdAt, createdBy }) => ({
    version,
    note,
    createdAt,
    createdBy,
  }));
  return { ...record(m, v), versions, placeholders: state.placeholders };
}

/** The first template field of `t` that does not parse (an unclosed `{{`), if any. */
function unparsable(t: Partial<MessageTemplates>): keyof MessageTemplates | null {
  for (const f of ['subject', 'text', 'html', 'instructions'] as const) {
    const s = t[f] ?? '';
    if (s.split('{{').length - 1 !== s.split('}}').length - 1) return f;
  }
  return null;
}

function render(s: string, values: Record<string, string>): string {
  return s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? '');
}

function badTemplates(body: Partial<MessageTemplates>) {
  for (const f of ['subject', 'text', 'html'] as const) {
    if (!body[f]?.trim()) return fail(400, 'invalid_argument', `${f} must not be empty`, f);
  }
  const bad = unparsable(body);
  if (bad) return fail(400, 'invalid_argument', `${bad}: unclosed {{`, bad);
  return null;
}

/** Routes for fakeApi over `state`, behaving as the contract says. */
export function messagesRoutes(state: MessagesState): Record<string, Handler> {
  const find = (req: FakeRequest) => state.messages.find((m) => m.name === req.params.name);
  return {
    'GET /api/messages': () => ok(state.messages.map(summary)),
    'GET /api/messages/:name': (req) => {
      const m = find(req);
      if (!m) return fail(404, 'not_found', `no message ${req.params.name}`);
      const asked = req.query.get('version');
      const v = asked === null ? m.versions[0] : m.versions.find((x) => x.version === Number(asked));
      if (!v) return fail(404, 'not_found', `no version ${asked} of ${m.name}`, 'version');
      return ok(detail(state, m, v));
    },
    'POST /api/messages': (req) => {
      const body = req.body as Partial<MessageTemplates> & { name?: string; note?: string };
      const name = body.name?.trim() ?? '';
      if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
        return fail(400, 'invalid_argument', 'name must be lower-case letters, digits and dashes', 'name');
      if (state.messages.some((m) => m.name === name))
        return fail(409, 'already_exists', `a message named ${name} exists`, 'name');
      const bad = badTemplates(body);
      if (bad) return bad;
      const m: StoredMessage = {
        name,
        steps: [],
        versions: [
          {
            ...(body as MessageTemplates),
            instructions: body.instructions ?? '',
            version: 1,
            note: body.note ?? '',
            createdAt: '2026-01-03T09:00:00Z',
            createdBy: 'admin',
          },
        ],
      };
      state.messages.push(m);
      return ok(record(m, m.versions[0]!), 201);
    },
    'PUT /api/messages/:name': (req) => {
      const m = find(req);
      if (!m) return fail(404, 'not_found', `no message ${req.params.name}`);
      const body = req.body as Partial<MessageTemplates> & { note?: string; baseVersion?: number };
      const current = m.versions[0]!;
      if (body.baseVersion !== undefined && body.baseVersion !== current.version)
        return fail(409, 'failed_precondition', `version ${current.version} was saved since`, 'baseVersion');
      const bad = badTemplates(body);
      if (bad) return bad;
      const v: StoredVersion = {
        ...(body as MessageTemplates),
        instructions: body.instructions ?? '',
        version: current.version + 1,
        note: body.note ?? '',
        createdAt: '2026-01-03T10:00:00Z',
        createdBy: 'admin',
      };
      m.versions.unshift(v);
      return ok(record(m, v));
    },
    'POST /api/messages/:name/preview': (req) => {
      const m = find(req);
      if (!m) return fail(404, 'not_found', `no message ${req.params.name}`);
      const userId = req.query.get('userId');
      if (userId && !state.clients[userId]) return fail(404, 'not_found', `no client ${userId}`, 'userId');
      const draft = { ...templatesOfStored(m), ...(req.body as Partial<MessageTemplates> | undefined) };
      const bad = unparsable(draft);
      if (bad) return fail(400, 'invalid_argument', `${bad}: unclosed {{`, bad);
      const clientName = userId ? state.clients[userId]! : 'Ada Lovelace';
      let problem: MessagePreview['problem'] = null;
      for (const f of ['subject', 'text', 'html'] as const) {
        const unknown = [...draft[f].matchAll(/\{\{(\w+)\}\}/g)].find((x) => !state.placeholders.includes(x[1]!));
        if (unknown) {
          problem = { error: `unknown placeholder {{${unknown[1]}}}`, field: f };
          break;
        }
      }
      const values = {
        firstName: clientName.split(' ')[0]!,
        shopName: 'Loom & Co',
        lastOrderDate: '3 March',
        unsubscribeUrl: 'https://rekindle.example/u/x',
      };
      const preview: MessagePreview = {
        subject: render(draft.subject, values),
        text: render(draft.text, values),
        html: render(draft.html, values),
        step: m.steps[0] ?? null,
        client: { userId: userId || null, name: clientName, sample: !userId },
        problem,
      };
      return ok(preview);
    },
  };
}

function templatesOfStored(m: StoredMessage): MessageTemplates {
  const { subject, text, html, instructions } = m.versions[0]!;
  return { subject, text, html, instructions };
}
