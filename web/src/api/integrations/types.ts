/** A delivery a shop's platform (or a CDP) sent to Rekindle, and what became of it. */
export interface IncomingDelivery {
  hookId: string;
  /** shopify, woocommerce or cdp. */
  source: string;
  /** The platform's own id of the delivery. */
  deliveryId: string;
  /** orders/create, order.updated… */
  topic: string;
  receivedAt: string;
  /** pending, applied, ignored or failed. */
  status: string;
  attempts: number;
  /** Why it failed, or why it was ignored. */
  error: string | null;
  appliedAt: string | null;
}

export const INCOMING_SOURCES = ['shopify', 'woocommerce', 'cdp'] as const;
export type IncomingSource = (typeof INCOMING_SOURCES)[number];

export interface IncomingDeliveryParams {
  source?: IncomingSource;
  limit: number;
}
