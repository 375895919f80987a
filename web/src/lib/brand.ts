// The shop's brand in its emails: the logo's URL, the currency amounts are written in and
// the sign-off line. The limits mirror the server's (it stays the authority). Pure.

/** The ISO 4217 codes the server takes for `currency`, in the order the select lists them. */
export const CURRENCIES = [
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
] as const;

export type Currency = (typeof CURRENCIES)[number];

/** The currency emails use while none is set. */
export const DEFAULT_CURRENCY: Currency = 'USD';

const CURRENCY_NAMES: Record<Currency, string> = {
  USD: 'US dollar',
  EUR: 'Euro',
  GBP: 'Pound sterling',
  CAD: 'Canadian dollar',
  AUD: 'Australian dollar',
  NZD: 'New Zealand dollar',
  JPY: 'Japanese yen',
  CHF: 'Swiss franc',
  SEK: 'Swedish krona',
  NOK: 'Norwegian krone',
  DKK: 'Danish krone',
  PLN: 'Polish złoty',
  CZK: 'Czech koruna',
  INR: 'Indian rupee',
  BRL: 'Brazilian real',
  MXN: 'Mexican peso',
  ZAR: 'South African rand',
  SGD: 'Singapore dollar',
  HKD: 'Hong Kong dollar',
};

export function isCurrency(code: string): code is Currency {
  return (CURRENCIES as readonly string[]).includes(code);
}

/** "EUR — Euro" for the select; a code the list does not know shows as it is. */
export function currencyLabel(code: string): string {
  return isCurrency(code) ? `${code} — ${CURRENCY_NAMES[code]}` : code;
}

/** The select's empty choice: what the emails use while no currency is set. */
export const UNSET_CURRENCY_LABEL = `${DEFAULT_CURRENCY} (default)`;

export const LOGO_URL_MAX = 2048;
export const SIGN_OFF_MAX = 100;

/** Characters as a person counts them (code points, so "é" or "😀" is one). */
export function charLength(text: string): number {
  return [...text].length;
}

/** An absolute https:// URL with a host: what the server takes for the logo. */
export function isHttpsUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Why a logo URL would be refused, or undefined when it is fine (empty clears it). */
export function logoUrlError(text: string): string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (charLength(t) > LOGO_URL_MAX) return `Keep the logo’s address to ${LOGO_URL_MAX} characters at most.`;
  if (!isHttpsUrl(t)) return 'Enter the logo’s full address, starting with https://.';
  return undefined;
}

/** Why a sign-off would be refused, or undefined when it is fine (empty clears it). */
export function signOffError(text: string): string | undefined {
  const t = text.trim();
  if (/[\r\n]/.test(t)) return 'Keep the sign-off to one line.';
  if (charLength(t) > SIGN_OFF_MAX) return `Keep the sign-off to ${SIGN_OFF_MAX} characters at most.`;
  return undefined;
}

/** Why a currency would be refused, or undefined when it is one of the list (empty clears it). */
export function currencyError(code: string): string | undefined {
  const t = code.trim();
  if (!t || isCurrency(t)) return undefined;
  return 'Choose a currency from the list.';
}

/** The sign-off's placeholder: "The Acme team", or "The team" without a shop name. */
export function signOffPlaceholder(shopName: string | null | undefined): string {
  const name = shopName?.trim();
  return name ? `The ${name} team` : 'The team';
}

/** The logo to preview: the URL when it would be accepted, else null (nothing is fetched). */
export function logoPreviewUrl(text: string): string | null {
  const t = text.trim();
  return t && !logoUrlError(t) ? t : null;
}
