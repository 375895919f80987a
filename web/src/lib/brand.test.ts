import { describe, expect, it } from 'vitest';
import {
  charLength,
  CURRENCIES,
  currencyError,
  currencyLabel,
  isCurrency,
  isHttpsUrl,
  logoPreviewUrl,
  logoUrlError,
  signOffError,
  signOffPlaceholder,
  UNSET_CURRENCY_LABEL,
} from './brand';

describe('brand', () => {
  it('lists the 19 currencies the server takes, USD first and as the default', () => {
    expect(CURRENCIES).toEqual([
      'USD',
      'EUR',
      'GBP',
      'CAD',
      'AUD',
      'NZD',
      'JPY',
      'CHF',
      'SEK',
      'NOK',
      'DKK',
      'PLN',
      'CZK',
      'INR',
      'BRL',
      'MXN',
      'ZAR',
      'SGD',
      'HKD',
    ]);
    expect(UNSET_CURRENCY_LABEL).toBe('USD (default)');
    expect(isCurrency('CHF')).toBe(true);
    expect(isCurrency('chf')).toBe(false);
    expect(isCurrency('XBT')).toBe(false);
    expect(currencyLabel('EUR')).toBe('EUR — Euro');
    expect(currencyLabel('XBT')).toBe('XBT');
  });

  it('takes a currency of the list or none', () => {
    expect(currencyError('')).toBeUndefined();
    expect(currencyError('JPY')).toBeUndefined();
    expect(currencyError('usd')).toBe('Choose a currency from the list.');
    expect(currencyError('XBT')).toBe('Choose a currency from the list.');
  });

  it('takes only an absolute https:// logo URL of 2048 characters at most', () => {
    expect(isHttpsUrl('https://cdn.loom.example/logo.png')).toBe(true);
    expect(isHttpsUrl('http://cdn.loom.example/logo.png')).toBe(false);
    expect(isHttpsUrl('/logo.png')).toBe(false);
    expect(isHttpsUrl('data:image/png;base64,AAAA')).toBe(false);
    expect(logoUrlError('')).toBeUndefined();
    expect(logoUrlError('  https://loom.example/logo.png  ')).toBeUndefined();
    expect(logoUrlError('http://loom.example/logo.png')).toBe('Enter the logo’s full address, starting with https://.');
    expect(logoUrlError('loom.example/logo.png')).toMatch(/starting with https/);
    const base = 'https://loom.example/';
    expect(logoUrlError(base + 'a'.repeat(2048 - base.length))).toBeUndefined();
    expect(logoUrlError(base + 'a'.repeat(2049 - base.length))).toBe(
      'Keep the logo’s address to 2048 characters at most.',
    );
  });

  it('previews only a logo URL that would be accepted', () => {
    expect(logoPreviewUrl(' https://loom.example/logo.png ')).toBe('https://loom.example/logo.png');
    expect(logoPreviewUrl('https://')).toBeNull();
    expect(logoPreviewUrl('http://loom.example/logo.png')).toBeNull();
    expect(logoPreviewUrl('')).toBeNull();
  });

  it('takes a one-line sign-off of 100 characters at most, counted as a person counts them', () => {
    expect(signOffError('')).toBeUndefined();
    expect(signOffError('The Loom team')).toBeUndefined();
    expect(signOffError('a'.repeat(100))).toBeUndefined();
    expect(signOffError('a'.repeat(101))).toBe('Keep the sign-off to 100 characters at most.');
    expect(signOffError('é'.repeat(100))).toBeUndefined();
    expect(charLength('😀é')).toBe(2);
    expect(signOffError('Thanks,\nThe Loom team')).toBe('Keep the sign-off to one line.');
  });

  it('suggests a sign-off from the shop name', () => {
    expect(signOffPlaceholder('Acme')).toBe('The Acme team');
    expect(signOffPlaceholder('  Loom & Co ')).toBe('The Loom & Co team');
    expect(signOffPlaceholder('')).toBe('The team');
    expect(signOffPlaceholder(null)).toBe('The team');
  });
});
