// The Import page's pure logic: a file's format from its name, the sample the preview
// reads, the `map=` overrides, whether an import may start, and the progress figures.

import type { ImportFormat, ImportJob, ImportKind, ImportPhase, ImportPreview } from '../api/imports/types';

/** The preview reads at most this much of the file's start. */
export const PREVIEW_BYTES = 64 * 1024;

/** The format a file's extension names (.csv, .jsonl/.ndjson, .txt for CDNOW's log); null when it names none. */
export function formatFromFileName(name: string): ImportFormat | null {
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'txt') return 'cdnow';
  return null;
}

export const FORMAT_LABELS: Record<ImportFormat, string> = {
  csv: 'CSV',
  jsonl: 'JSON Lines',
  cdnow: 'CDNOW transaction log',
  shopify: 'Shopify orders export (CSV)',
};

/**
 * The Content-Type an upload of each format says. Not text/plain for CDNOW's log: that is
 * a type a cross-site form may send, and the server's check of the type is what keeps
 * other sites from writing to /api.
 */
export const CONTENT_TYPES: Record<ImportFormat, string> = {
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
  cdnow: 'application/octet-stream',
  shopify: 'text/csv',
};

/**
 * How many of `head` (the file's first bytes) the preview gets: up to the last line
 * break, so that no record is cut in two; all of it when it is the whole file or holds
 * no line break.
 */
export function sampleLength(head: Uint8Array, fileSize: number): number {
  if (head.length >= fileSize) return head.length;
  const lastNewline = head.lastIndexOf(0x0a);
  return lastNewline >= 0 ? lastNewline + 1 : head.length;
}

/** The file's first PREVIEW_BYTES, cut after the last whole line. */
export async function readSample(file: Blob): Promise<Blob> {
  const head = new Uint8Array(await file.slice(0, PREVIEW_BYTES).arrayBuffer());
  return file.slice(0, sampleLength(head, file.size));
}

/** A field's column in `mapping`, '' when it has none. */
export function columnOf(mapping: Record<string, string>, field: string): string {
  return mapping[field] ?? '';
}

/**
 * The overrides to send as `map=`: each field whose chosen column differs from the one
 * the server detected by itself ('' to read a detected field from no column).
 */
export function mappingOverrides(
  detected: Record<string, string>,
  chosen: Record<string, string>,
  fields: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const column = columnOf(chosen, field);
    if (column !== columnOf(detected, field)) out[field] = column;
  }
  return out;
}

/** `field=column,field=column`, or undefined for no override. */
export function mapParam(overrides: Record<string, string>): string | undefined {
  const parts = Object.entries(overrides).map(([field, column]) => `${field}=${column}`);
  return parts.length ? parts.join(',') : undefined;
}

/** Column names `map=` cannot carry (its separators), to say so rather than send a wrong list. */
export function unmappableColumns(overrides: Record<string, string>): string[] {
  return Object.values(overrides).filter((c) => c.includes(','));
}

/** Why an import with this preview cannot start; empty when it can. */
export function startBlockers(preview: ImportPreview, ignoreUnknown: boolean): string[] {
  const out: string[] = [];
  if (preview.missing.length) {
    out.push(`No column for ${listWords(preview.missing)}: map ${preview.missing.length === 1 ? 'it' : 'them'} below.`);
  }
  if (preview.unknown.length && !ignoreUnknown) {
    out.push(
      `${listWords(preview.unknown)} ${preview.unknown.length === 1 ? 'matches' : 'match'} no field: map or ignore.`,
    );
  }
  return out;
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Which fields each kind must have, in words, for the page's hint. */
export const REQUIRED_WORDS: Record<ImportKind, string> = {
  clients: 'An externalId (the shop’s customer id) or an email is required.',
  orders: 'orderDate, totalValue, and one of userId, clientExternalId or email are required.',
};

export const PHASE_WORDS: Record<ImportPhase, string> = {
  validating: 'Checking every row',
  writing: 'Writing',
  refreshing: 'Refreshing scores',
  done: 'Done',
};

/** The share of the file read, 0..1; null when its size is unknown. */
export function progressShare(job: Pick<ImportJob, 'bytesRead' | 'totalBytes' | 'status'>): number | null {
  if (job.status === 'done') return 1;
  if (!(job.totalBytes > 0)) return null;
  return Math.min(1, Math.max(0, job.bytesRead / job.totalBytes));
}

/** Rows per second so far: the job's own seconds when it says, else since it started. */
export function rowsPerSecond(
  job: Pick<ImportJob, 'rows' | 'seconds' | 'startedAt'>,
  now: Date = new Date(),
): number | null {
  const elapsed =
    job.seconds !== null && job.seconds > 0 ? job.seconds : (now.getTime() - new Date(job.startedAt).getTime()) / 1000;
  if (!Number.isFinite(elapsed) || elapsed <= 0) return null;
  return job.rows / elapsed;
}

/** "812 B", "64.0 KiB", "3.4 MiB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
