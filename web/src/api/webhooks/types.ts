/** An outgoing webhook endpoint: a URL that hears what Rekindle does. Never carries its secret. */
export interface WebhookEndpoint {
  endpointId: string;
  url: string;
  /** Event types it hears, e.g. `client.unsubscribed`. */
  events: string[];
  description: string;
  createdAt: string;
}

/** The POST /api/webhooks body. */
export interface NewWebhookEndpoint {
  url: string;
  events: string[];
  description?: string;
}

/**
 * The 201 answer to POST /api/webhooks: the endpoint and its signing secret (`whsec_…`),
 * which the server sends this once and never again.
 */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  secret: string;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event sent (or being sent) to one endpoint. */
export interface WebhookDelivery {
  deliveryId: string;
  endpointId: string;
  type: string;
  data: Record<string, unknown>;
  createdAt: string;
  /** pending, delivered or dead (gave up). */
  status: string;
  attempts: number;
  /** When it is tried next, while pending. */
  nextAttemptAt: string | null;
  /** The receiver's last HTTP status, if it answered. */
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export interface WebhookDeliveryParams {
  endpointId?: string;
  status?: WebhookDeliveryStatus;
  limit: number;
}
