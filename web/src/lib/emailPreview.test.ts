import { describe, expect, it } from 'vitest';
import { PREVIEW_CSP, previewDocument } from './emailPreview';

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

describe('The document of an email preview', () => {
  it('puts the policy and the base target before anything of the email’s', () => {
    const doc = previewDocument('<!doctype html><html><body><p>Hi</p></body></html>');
    expect(doc.startsWith('<!doctype html><meta http-equiv="Content-Security-Policy" content="')).toBe(true);
    expect(doc.indexOf('<base target="_blank">')).toBeLessThan(doc.indexOf('<p>Hi</p>'));
    expect(doc.endsWith('<p>Hi</p></body></html>')).toBe(true);
  });

  it('loads nothing remote: no default source, images from data: only, no script, fetch, frame or form', () => {
    const d = directives(PREVIEW_CSP);
    expect(d.get('default-src')).toBe("'none'");
    expect(d.get('img-src')).toBe('data:');
    expect(d.get('script-src')).toBe("'none'");
    expect(d.get('connect-src')).toBe("'none'");
    expect(d.get('frame-src')).toBe("'none'");
    expect(d.get('form-action')).toBe("'none'");
    expect(d.get('base-uri')).toBe("'none'");
    // No directive names a host or a scheme that reaches the network.
    expect(PREVIEW_CSP).not.toMatch(/https?:|\*|'self'/);
  });

  it('keeps the policy intact in its attribute (no quote in it ends the attribute)', () => {
    expect(PREVIEW_CSP).not.toContain('"');
    const parsed = new DOMParser().parseFromString(previewDocument('<p>x</p>'), 'text/html');
    const meta = parsed.head.querySelector('meta[http-equiv="Content-Security-Policy"]');
    expect(meta?.getAttribute('content')).toBe(PREVIEW_CSP);
    expect(parsed.head.querySelector('base')?.getAttribute('target')).toBe('_blank');
  });
});
