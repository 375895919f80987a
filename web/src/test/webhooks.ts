// A stateful fake of the webhook and integration endpoints for the Integrations page's
// tests: endpoints can be added (answering a fresh secret once) and deleted, deliveries
// replayed (a replayed one becomes pending again), and the lists filter as the server's do.

import type { IncomingDelivery } from '../api/integrations/types';
import type { WebhookDelivery } from '../api/webhooks/types';
import { fail, ok, type Handler } from './fakeApi';

export const WEBHOOK_EVENTS = [
  'client.at_risk',
  'email.sent',
  'email.opened',
  'email.clicked',
  'email.converted',
  'email.bounced',
  'email.complained',
  'client.unsubscribed',
  'episode.ended',
];

export interface FakeEndpoint {
  endpointId: string;
  url: string;
  events: string[];
  description: string;
  createdAt: string;
}

export function anEndpoint(overrides: Partial<FakeEndpoint> = {}): FakeEndpoint {
  return {
    endpointId: 'wh_1',
    url: 'https://crm.example.com/rekindle',
    events: ['client.at_risk', 'email.converted'],
    description: 'The CRM',
    createdAt: '2026-02-01T09:00:00Z',
    ...overrides,
  };
}

export function aDelivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    deliveryId: 'dl_1',
    endpointId: 'wh_1',
    type: 'client.at_risk',
    data: { userId: 'u1' },
    createdAt: '2026-02-02T10:00:00Z',
    status: 'delivered',
    attempts: 1,
    nextAttemptAt: null,
    lastStatus: 204,
    lastError: null,
    deliveredAt: '2026-02-02T10:00:01Z',
    ...overrides,
  };
}

export function anIncoming(overrides: Partial<IncomingDelivery> = {}): IncomingDelivery {
  return {
    hookId: 'hk_1',
    source: 'shopify',
    deliveryId: 'b54557e4-shopify',
    topic: 'orders/create',
    receivedAt: '2026-02-03T08:00:00Z',
    status: 'applied',
    attempts: 1,
    error: null,
    appliedAt: '2026-02-03T08:00:02Z',
    ...overrides,
  };
}

export interface WebhookState {
  endpoints: FakeEndpoint[];
  deliveries: WebhookDelivery[];
  incoming: IncomingDelivery[];
  /** The secrets handed out, in order. */
  secrets: string[];
}

export function webhookRoutes(state: WebhookState): Record<string, Handler> {
  return {
    'GET /api/webhooks': () => ok(state.endpoints),
    'GET /api/webhooks/events': () => ok(WEBHOOK_EVENTS),
    'POST /api/webhooks': (req) => {
      const body = req.body as { url?: unknown; events?: unknown; description?: unknown };
      if (typeof body.url !== 'string' || !/^https?:\/\/[^/]+/.test(body.url))
        return fail(400, 'invalid_argument', 'url must be an http(s) URL with a host', 'url');
      if (!Array.isArray(body.events) || body.events.length === 0)
        return fail(400, 'invalid_argument', 'events must name at least one event', 'events');
      const endpoint: FakeEndpoint = {
        endpointId: `wh_${state.endpoints.length + 100}`,
        url: body.url,
        events: body.events as string[],
        description: typeof body.description === 'string' ? body.description : '',
        createdAt: '2026-02-05T12:00:00Z',
      };
      const secret = `whsec_c2VjcmV0LW51bWJlci0${state.secrets.length + 1}`;
      state.secrets.push(secret);
      state.endpoints = [...state.endpoints, endpoint];
      return ok({ ...endpoint, secret }, 201);
    },
    'DELETE /api/webhooks/:endpointId': (req) => {
      if (!state.endpoints.some((e) => e.endpointId === req.params.endpointId))
        return fail(404, 'not_found', 'no such endpoint');
      state.endpoints = state.endpoints.filter((e) => e.endpointId !== req.params.endpointId);
      return ok({ deleted: true });
    },
    'GET /api/webhooks/deliveries': (req) => {
      const endpointId = req.query.get('endpointId');
      const status = req.query.get('status');
      return ok(
        state.deliveries.filter(
          (d) => (!endpointId || d.endpointId === endpointId) && (!status || d.status === status),
        ),
      );
    },
    'POST /api/webhooks/deliveries/:deliveryId/replay': (req) => {
      const d = state.deliveries.find((x) => x.deliveryId === req.params.deliveryId);
      if (!d || d.status === 'pending') return fail(404, 'not_found', 'no such delivery to replay');
      state.deliveries = state.deliveries.map((x) =>
        x === d ? { ...x, status: 'pending', nextAttemptAt: '2026-02-05T12:00:05Z', deliveredAt: null } : x,
      );
      return ok({ replayed: true, deliveryId: d.deliveryId }, 202);
    },
    'GET /api/integrations/deliveries': (req) => {
      const source = req.query.get('source');
      return ok(state.incoming.filter((d) => !source || d.source === source));
    },
  };
}

export function webhookState(overrides: Partial<WebhookState> = {}): WebhookState {
  return { endpoints: [anEndpoint()], deliveries: [], incoming: [], secrets: [], ...overrides };
}
