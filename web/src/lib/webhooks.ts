// The Integrations page's logic: the add-endpoint form's checks (mirroring the server's:
// an http(s) URL with a host, at least one event, a description of at most 200 bytes),
// the list filters kept in the URL, how deliveries read, and the addresses a shop's
// platform is given.

import { INCOMING_SOURCES, type IncomingSource } from '../api/integrations/types';
import {
  WEBHOOK_DELIVERY_STATUSES,
  type NewWebhookEndpoint,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from '../api/webhooks/types';

export const DESCRIPTION_MAX_BYTES = 200;

export interface WebhookFormValues {
  url: string;
  events: string[];
  description: string;
}

export type WebhookFormField = keyof WebhookFormValues;
export type WebhookFormErrors = Partial<Record<WebhookFormField, string>>;

export const EMPTY_WEBHOOK_FORM: WebhookFormValues = { url: '', events: [], description: '' };

const FORM_FIELDS: readonly WebhookFormField[] = ['url', 'events', 'description'];

/** The length of `s` in UTF-8 bytes, as the server counts it. */
export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * An absolute http:// or https:// URL naming a host: the authority right after "//" must
 * hold a host (not only a port or a user), and the URL has no spaces. Read literally, not
 * through the browser's URL parser, which would take "http:///path" as the host "path".
 */
export function isWebhookUrl(s: string): boolean {
  const m = /^https?:\/\/([^/?#]*)/i.exec(s);
  if (!m || /\s/.test(s)) return false;
  const authority = m[1] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.replace(/:\d*$/, '');
  if (!host || host === '[]') return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

/** Field errors for the values; empty when the form may be sent. */
export function validateWebhookForm(values: WebhookFormValues): WebhookFormErrors {
  const errors: WebhookFormErrors = {};
  const url = values.url.trim();
  if (!url) errors.url = 'Enter the URL the events are sent to.';
  else if (!isWebhookUrl(url))
    errors.url = 'Enter an http:// or https:// URL with a host, like https://example.com/hooks.';
  if (values.events.length === 0) errors.events = 'Choose at least one event.';
  const bytes = utf8Length(values.description.trim());
  if (bytes > DESCRIPTION_MAX_BYTES)
    errors.description = `The description must be at most ${DESCRIPTION_MAX_BYTES} bytes (it is ${bytes}).`;
  return errors;
}

export function hasWebhookErrors(errors: WebhookFormErrors): boolean {
  return Object.values(errors).some(Boolean);
}

/** The POST /api/webhooks body; events in the order the server lists them, no empty description. */
export function toNewWebhook(values: WebhookFormValues, eventOrder: readonly string[]): NewWebhookEndpoint {
  const chosen = new Set(values.events);
  const events = [...eventOrder.filter((e) => chosen.has(e)), ...values.events.filter((e) => !eventOrder.includes(e))];
  const body: NewWebhookEndpoint = { url: values.url.trim(), events };
  const description = values.description.trim();
  if (description) body.description = description;
  return body;
}

/** The form field a server error names, when the form has one (an unknown key is not one). */
export function webhookFieldOf(apiField: string | undefined): WebhookFormField | undefined {
  if (!apiField) return undefined;
  const base = apiField.replace(/[.[].*$/, '');
  return (FORM_FIELDS as readonly string[]).includes(base) ? (base as WebhookFormField) : undefined;
}

/** Adds or removes one event from the chosen ones. */
export function toggleEvent(events: readonly string[], event: string, on: boolean): string[] {
  return on ? (events.includes(event) ? [...events] : [...events, event]) : events.filter((e) => e !== event);
}

// ---------------------------------------------------------------------------------------
// Filters, kept in the page's URL: ?endpointId=&status= for outgoing deliveries, ?source=
// for incoming ones. Anything else is ignored.

export interface IntegrationFilters {
  endpointId: string | undefined;
  status: WebhookDeliveryStatus | undefined;
  source: IncomingSource | undefined;
}

export function readIntegrationFilters(params: URLSearchParams): IntegrationFilters {
  const endpointId = params.get('endpointId')?.trim().slice(0, 200) || undefined;
  const status = params.get('status') ?? '';
  const source = params.get('source') ?? '';
  return {
    endpointId,
    status: (WEBHOOK_DELIVERY_STATUSES as readonly string[]).includes(status)
      ? (status as WebhookDeliveryStatus)
      : undefined,
    source: (INCOMING_SOURCES as readonly string[]).includes(source) ? (source as IncomingSource) : undefined,
  };
}

/** The URL parameters for `filters`, leaving out the ones not set. */
export function writeIntegrationFilters(filters: IntegrationFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (filters.endpointId) out.endpointId = filters.endpointId;
  if (filters.status) out.status = filters.status;
  if (filters.source) out.source = filters.source;
  return out;
}

// ---------------------------------------------------------------------------------------
// How deliveries read

export const OUTGOING_STATUS_WORDS: Record<string, string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  dead: 'Dead (gave up)',
};

export const INCOMING_STATUS_WORDS: Record<string, string> = {
  pending: 'Pending',
  applied: 'Applied',
  ignored: 'Ignored',
  failed: 'Failed',
};

export const SOURCE_WORDS: Record<string, string> = {
  shopify: 'Shopify',
  woocommerce: 'WooCommerce',
  cdp: 'CDP',
};

/** A delivery that may be sent again: one that gave up, or one that was delivered. */
export function isReplayable(d: Pick<WebhookDelivery, 'status'>): boolean {
  return d.status === 'dead' || d.status === 'delivered';
}

/** "404", "—" when the receiver never answered. */
export function formatLastStatus(status: number | null): string {
  return status === null || status === undefined ? '—' : String(status);
}

/**
 * The endpoint's URL for a delivery's row; its id, marked deleted, when the endpoint is
 * no longer listed; just its id while the endpoints are not known.
 */
export function endpointLabel(endpointId: string, urls: ReadonlyMap<string, string> | undefined): string {
  if (!urls) return endpointId;
  return urls.get(endpointId) ?? `${endpointId} (deleted)`;
}

/** The badge tone of a delivery's status, outgoing or incoming. */
export function statusTone(status: string): 'ok' | 'warn' | 'stop' | 'muted' {
  if (status === 'delivered' || status === 'applied') return 'ok';
  if (status === 'pending') return 'warn';
  if (status === 'dead' || status === 'failed') return 'stop';
  return 'muted';
}

/** The addresses a shop's platform is given: this server's origin plus /hooks/<platform>. */
export function hookUrls(origin: string): { shopify: string; woocommerce: string } {
  const base = origin.replace(/\/+$/, '');
  return { shopify: `${base}/hooks/shopify`, woocommerce: `${base}/hooks/woocommerce` };
}
