import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { anEmail } from '../test/fixtures';
import { PREVIEW_CSP } from '../lib/emailPreview';
import { EmailPreview } from './EmailPreview';

const tracked =
  '<p>Hi Ada</p><a href="https://rekindle.test/t/c/click-token">Shop</a>' +
  '<img src="https://rekindle.test/t/o/open-token.gif" width="1" height="1" alt="">';
const preview = '<p>Hi Ada</p><a href="https://shop.test/">Shop</a>';

describe('An email preview', () => {
  it('shows the server’s preview form, not the HTML as sent, in a fully sandboxed frame', () => {
    render(<EmailPreview email={anEmail({ html: tracked, previewHtml: preview })} />);
    const frame = screen.getByTitle('Preview of the email “We miss you, Ada”');
    expect(frame).toHaveAttribute('sandbox', '');
    const doc = frame.getAttribute('srcdoc') ?? '';
    expect(doc).toContain(preview);
    expect(doc).not.toContain('/t/o/');
    expect(doc).not.toContain('/t/c/');
  });

  it('gives the frame’s document a policy that loads nothing remote, ahead of the email', () => {
    render(<EmailPreview email={anEmail({ html: tracked, previewHtml: preview })} />);
    const doc = screen.getByTitle('Preview of the email “We miss you, Ada”').getAttribute('srcdoc') ?? '';
    const parsed = new DOMParser().parseFromString(doc, 'text/html');
    const meta = parsed.head.querySelector('meta[http-equiv="Content-Security-Policy"]');
    expect(meta?.getAttribute('content')).toBe(PREVIEW_CSP);
    expect(doc.indexOf('Content-Security-Policy')).toBeLessThan(doc.indexOf('<p>Hi Ada</p>'));
  });

  it('shows the plain text, never the HTML as sent, when there is no preview form', () => {
    render(<EmailPreview email={anEmail({ html: tracked, previewHtml: undefined })} />);
    expect(screen.getByText('Hi Ada, it has been a while.')).toBeInTheDocument();
    expect(screen.queryByTitle('Preview of the email “We miss you, Ada”')).not.toBeInTheDocument();
    expect(screen.queryByText(/<p>/)).not.toBeInTheDocument();
  });

  it('shows an older server’s plain text, which came in `content`', () => {
    render(<EmailPreview email={anEmail({ content: 'Hi Ada, older.', text: undefined, previewHtml: undefined })} />);
    expect(screen.getByText('Hi Ada, older.')).toBeInTheDocument();
  });
});
