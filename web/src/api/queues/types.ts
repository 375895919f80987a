/** One queue of the pipeline's bus (SQS semantics). */
export interface QueueStats {
  name: string;
  /** Messages waiting to be received. */
  depth: number;
  /** Messages received and not yet acknowledged (invisible until their timeout). */
  inFlight: number;
  oldestAgeSeconds: number;
  /** Messages that failed too often and were set aside. */
  dlqDepth: number;
}

/** POST /api/queues/:name/redrive: dead letters moved back to the queue. */
export interface RedriveResult {
  queue: string;
  redriven: number;
}
