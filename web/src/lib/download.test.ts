import { describe, expect, it } from 'vitest';
import { fallbackFilename, filenameFromDisposition } from './download';

describe('the name of a downloaded file', () => {
  it('is read from Content-Disposition', () => {
    expect(filenameFromDisposition('attachment; filename="clients-20260301.csv"')).toBe('clients-20260301.csv');
    expect(filenameFromDisposition('attachment; filename=emails-20260301.csv')).toBe('emails-20260301.csv');
    expect(filenameFromDisposition('attachment; filename="a \\"b\\".csv"')).toBe('a "b".csv');
  });

  it('prefers the RFC 6266 UTF-8 form', () => {
    expect(filenameFromDisposition('attachment; filename="x.csv"; filename*=UTF-8\'\'cli%C3%ABnts.csv')).toBe(
      'cliënts.csv',
    );
  });

  it('keeps only the last path segment, and is null when there is none', () => {
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(filenameFromDisposition('attachment')).toBeNull();
    expect(filenameFromDisposition('attachment; filename=""')).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });

  it('falls back to the resource and the day', () => {
    expect(fallbackFilename('clients', new Date(2026, 2, 1))).toBe('clients-20260301.csv');
  });
});
