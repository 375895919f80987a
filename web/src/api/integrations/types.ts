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

/** The shop platforms Rekindle reconciles with on a schedule or on request. */
export const SHOP_SYNC_SOURCES = ['shopify', 'woocommerce'] as const;
export type ShopSyncSource = (typeof SHOP_SYNC_SOURCES)[number];

/** never (no run yet), running, succeeded or failed: the last run's outcome. */
export type ShopSyncStatus = 'never' | 'running' | 'succeeded' | 'failed';

/** What started the last run: the schedule, `POST /api/integrations/sync/:source`, or the command line. */
export type ShopSyncTrigger = 'schedule' | 'api' | 'cli';

/** The last run's counts so far (while it runs) or in all (once it ended). */
export interface ShopSyncProgress {
  pages: number;
  fetched: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * One platform's reconciliation (`GET /api/integrations/sync`): whether it is configured
 * in the server's environment, the last run and its counts, how far the orders and
 * customers have been read (the cursors the next run starts from) and the next scheduled
 * run. An unconfigured platform has the same keys, with nulls and zeros.
 */
export interface ShopSync {
  /** shopify or woocommerce. */
  source: string;
  /** Shopify, WooCommerce. */
  name: string;
  configured: boolean;
  shopUrl: string | null;
  status: ShopSyncStatus;
  trigger: ShopSyncTrigger | null;
  startedAt: string | null;
  finishedAt: string | null;
  lastSuccessAt: string | null;
  /** The last run's error, when it failed. */
  error: string | null;
  /** The setting or field that error is about, when it names one. */
  field: string | null;
  cursors: { orders: string | null; customers: string | null };
  progress: ShopSyncProgress;
  /** Minutes between scheduled runs; 0: not scheduled. */
  intervalMinutes: number;
  nextRunAt: string | null;
}
