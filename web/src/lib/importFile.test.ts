import { describe, expect, it } from 'vitest';
import type { ImportPreview } from '../api/imports/types';
import {
  formatBytes,
  formatFromFileName,
  mapParam,
  mappingOverrides,
  PREVIEW_BYTES,
  progressShare,
  readSample,
  rowsPerSecond,
  sampleLength,
  startBlockers,
  unmappableColumns,
} from './importFile';

const bytes = (s: string) => new TextEncoder().encode(s);

function aPreview(over: Partial<ImportPreview> = {}): ImportPreview {
  return {
    format: 'csv',
    columns: ['id', 'Email'],
    mapping: { externalId: 'id', email: 'Email' },
    unknown: [],
    missing: [],
    fields: ['externalId', 'email', 'name'],
    rows: [['1', 'a@example.com']],
    ...over,
  };
}

describe('an import file', () => {
  it('has its format named by its extension, whatever the case', () => {
    expect(formatFromFileName('clients.csv')).toBe('csv');
    expect(formatFromFileName('Orders.CSV')).toBe('csv');
    expect(formatFromFileName('orders.jsonl')).toBe('jsonl');
    expect(formatFromFileName('orders.ndjson')).toBe('jsonl');
    expect(formatFromFileName('CDNOW_master.txt')).toBe('cdnow');
    expect(formatFromFileName('export.xlsx')).toBeNull();
    expect(formatFromFileName('README')).toBeNull();
  });

  it('is previewed from its start cut after the last whole line', () => {
    expect(sampleLength(bytes('a,b\n1,2\n3,'), 100)).toBe(8);
    // The whole file: nothing to cut, even without a final line break.
    expect(sampleLength(bytes('a,b\n1,2'), 7)).toBe(7);
    // One long line: sent as it is.
    expect(sampleLength(bytes('abcdef'), 100)).toBe(6);
  });

  it('sends at most 64 KiB to the preview, ending on a line break', async () => {
    const line = 'x'.repeat(99) + '\n';
    const file = new Blob([line.repeat(1000)]);
    const sample = await readSample(file);
    expect(sample.size).toBeLessThanOrEqual(PREVIEW_BYTES);
    expect(sample.size % 100).toBe(0);
    expect(sample.size).toBe(Math.floor(PREVIEW_BYTES / 100) * 100);
    const small = new Blob(['a,b\n1,2']);
    expect((await readSample(small)).size).toBe(7);
  });
});

describe('the column mapping', () => {
  it('sends only the choices that differ from what the server detected, "" for none', () => {
    const detected = { externalId: 'id', email: 'Email' };
    const chosen = { externalId: 'id', email: 'Mail', name: 'Full name' };
    expect(mappingOverrides(detected, chosen, ['externalId', 'email', 'name'])).toEqual({
      email: 'Mail',
      name: 'Full name',
    });
    expect(mappingOverrides(detected, { externalId: 'id' }, ['externalId', 'email'])).toEqual({ email: '' });
    expect(mappingOverrides(detected, detected, ['externalId', 'email'])).toEqual({});
  });

  it('is sent as field=column,…, or not at all', () => {
    expect(mapParam({ email: 'Mail', name: 'Full name' })).toBe('email=Mail,name=Full name');
    expect(mapParam({ name: '' })).toBe('name=');
    expect(mapParam({})).toBeUndefined();
    expect(unmappableColumns({ name: 'Last, First', email: 'Mail' })).toEqual(['Last, First']);
  });

  it('blocks the start while a required field has no column or a column is unknown and not ignored', () => {
    expect(startBlockers(aPreview(), false)).toEqual([]);
    expect(startBlockers(aPreview({ missing: ['orderDate', 'totalValue'] }), false)).toEqual([
      'No column for orderDate and totalValue: map them below.',
    ]);
    const unknown = aPreview({ unknown: ['Notes'] });
    expect(startBlockers(unknown, false)).toEqual(['Notes matches no field: map or ignore.']);
    expect(startBlockers(unknown, true)).toEqual([]);
  });
});

describe('an import’s progress', () => {
  const running = { status: 'running' as const, bytesRead: 250, totalBytes: 1000 };

  it('is the share of the file read, whole once done, unknown without a size', () => {
    expect(progressShare(running)).toBe(0.25);
    expect(progressShare({ ...running, status: 'done' })).toBe(1);
    expect(progressShare({ ...running, totalBytes: 0 })).toBeNull();
    expect(progressShare({ ...running, bytesRead: 2000 })).toBe(1);
  });

  it('counts rows per second from the job’s seconds, else from its start', () => {
    expect(rowsPerSecond({ rows: 500, seconds: 2, startedAt: '2026-01-01T00:00:00Z' })).toBe(250);
    const now = new Date('2026-01-01T00:00:04Z');
    expect(rowsPerSecond({ rows: 1000, seconds: null, startedAt: '2026-01-01T00:00:00Z' }, now)).toBe(250);
    expect(rowsPerSecond({ rows: 0, seconds: null, startedAt: '2026-01-01T00:00:04Z' }, now)).toBeNull();
  });

  it('shows sizes in binary units', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(64 * 1024)).toBe('64.0 KiB');
    expect(formatBytes(3.5 * 1024 * 1024)).toBe('3.5 MiB');
  });
});
