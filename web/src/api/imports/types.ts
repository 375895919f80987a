// Imports (issue 10): POST /api/imports/preview, POST /api/imports, GET /api/imports[/:id]
// as /work/notes/brief-10.md's contract describes them.

export const IMPORT_KINDS = ['clients', 'orders'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_FORMATS = ['csv', 'jsonl', 'cdnow', 'shopify'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What the server reads from a file's first bytes: its columns, their mapping and the first records. */
export interface ImportPreview {
  format: ImportFormat;
  /** The file's columns (CSV's header; for JSON Lines the union of the sampled records' keys). */
  columns: string[];
  /** Field → the column it is read from; a field without a column is absent. */
  mapping: Record<string, string>;
  /** Columns that match no field: an error unless they are ignored. */
  unknown: string[];
  /** Required fields without a column: the import cannot start. */
  missing: string[];
  /** Every field this kind reads, in the server's order. */
  fields: string[];
  /** The first records, values aligned with `columns`. */
  rows: (string | null)[][];
}

export type ImportStatus = 'running' | 'done' | 'failed';
export type ImportPhase = 'validating' | 'writing' | 'refreshing' | 'done';

/** A row the import refused, and why. */
export interface ImportReject {
  line: number;
  field: string | null;
  reason: string;
}

/** An import: its progress while it runs, then its summary. */
export interface ImportJob {
  id: string;
  kind: ImportKind;
  format: ImportFormat;
  status: ImportStatus;
  phase: ImportPhase;
  rows: number;
  bytesRead: number;
  totalBytes: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  clientsCreated: number;
  /** Clients at risk once the scores were refreshed (or would be, for a dry run). */
  atRisk: number | null;
  seconds: number | null;
  dryRun: boolean;
  /** Why it failed: "line 12, field orderDate: …". */
  error: string | null;
  /** Only on GET /api/imports/:id. */
  rejects?: ImportReject[];
  createdBy: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** The options of POST /api/imports beside the file. */
export interface ImportOptions {
  kind: ImportKind;
  format: ImportFormat;
  /** field → column overrides (`map=`); '' for a field read from no column. */
  map: Record<string, string>;
  ignoreUnknown: boolean;
  skipInvalid: boolean;
  dryRun: boolean;
  /** Run a sweep at once, so at-risk clients may be emailed now rather than at the next sweep. */
  sweep: boolean;
}
