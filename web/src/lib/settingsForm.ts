// The Settings page's values: inputs as strings, validation that mirrors the server's
// (it stays the authority and its 400s are shown at the field they name), and the
// PUT /api/settings body of what changed. Pure, tested directly.

import type { Settings, SettingsPatch } from '../api/settings/types';
import { currencyError, logoUrlError, signOffError } from './brand';
import { isValidEmail } from './clientForm';

export interface SettingsFormValues {
  shopName: string;
  senderName: string;
  senderEmail: string;
  replyTo: string;
  postalAddress: string;
  publicUrl: string;
  shopUrl: string;
  timeZone: string;
  quietHoursStart: string;
  quietHoursEnd: string;
  dailyCap: string;
  hourlyRate: string;
  logoUrl: string;
  /** An ISO 4217 code, or '' for none (the emails then use USD). */
  currency: string;
  signOff: string;
}

export type SettingsField = keyof SettingsFormValues;
export type SettingsFormErrors = Partial<Record<SettingsField, string>>;

export const SETTINGS_FIELDS: readonly SettingsField[] = [
  'shopName',
  'senderName',
  'senderEmail',
  'replyTo',
  'postalAddress',
  'publicUrl',
  'shopUrl',
  'timeZone',
  'quietHoursStart',
  'quietHoursEnd',
  'dailyCap',
  'hourlyRate',
  'logoUrl',
  'currency',
  'signOff',
];

const TEXT_FIELDS = [
  'shopName',
  'senderName',
  'senderEmail',
  'replyTo',
  'postalAddress',
  'publicUrl',
  'shopUrl',
  'timeZone',
  'logoUrl',
  'currency',
  'signOff',
] as const;

export function fromSettings(s: Settings): SettingsFormValues {
  return {
    shopName: s.shopName ?? '',
    senderName: s.senderName ?? '',
    senderEmail: s.senderEmail ?? '',
    replyTo: s.replyTo ?? '',
    postalAddress: s.postalAddress ?? '',
    publicUrl: s.publicUrl ?? '',
    shopUrl: s.shopUrl ?? '',
    timeZone: s.timeZone ?? '',
    quietHoursStart: s.quietHours?.start ?? '',
    quietHoursEnd: s.quietHours?.end ?? '',
    dailyCap: s.dailyCap === null || s.dailyCap === undefined ? '' : String(s.dailyCap),
    hourlyRate: s.hourlyRate === null || s.hourlyRate === undefined ? '' : String(s.hourlyRate),
    logoUrl: s.logoUrl ?? '',
    currency: s.currency ?? '',
    signOff: s.signOff ?? '',
  };
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const WHOLE = /^\d+$/;

export function isValidUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** An IANA time zone name the browser knows (the server checks against the system tzdata). */
export function isValidTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

/** Every time zone the browser knows, for the input's suggestions. */
export function timeZoneNames(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

function wholeError(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (!WHOLE.test(t) || Number(t) < 1) return 'Enter a whole number (1 or more), or leave it empty for no limit.';
  return undefined;
}

export function validateSettingsForm(v: SettingsFormValues): SettingsFormErrors {
  const e: SettingsFormErrors = {};
  const t = (f: SettingsField) => v[f].trim();
  if (t('senderEmail') && !isValidEmail(t('senderEmail')))
    e.senderEmail = 'Enter an email address like shop@example.com.';
  if (t('replyTo') && !isValidEmail(t('replyTo'))) e.replyTo = 'Enter an email address like help@example.com.';
  if (t('publicUrl') && !isValidUrl(t('publicUrl')))
    e.publicUrl = 'Enter the address clients reach Rekindle at, starting with https://.';
  if (t('shopUrl') && !isValidUrl(t('shopUrl'))) e.shopUrl = 'Enter the shop’s address, starting with https://.';
  if (t('timeZone') && !isValidTimeZone(t('timeZone'))) e.timeZone = 'Enter a time zone name like Europe/Paris.';
  const start = t('quietHoursStart');
  const end = t('quietHoursEnd');
  if (start && !TIME.test(start)) e.quietHoursStart = 'Enter a time as HH:MM, e.g. 21:00.';
  if (end && !TIME.test(end)) e.quietHoursEnd = 'Enter a time as HH:MM, e.g. 08:00.';
  if (start && !end && !e.quietHoursStart) e.quietHoursEnd = 'Enter when quiet hours end, or clear both.';
  if (end && !start && !e.quietHoursEnd) e.quietHoursStart = 'Enter when quiet hours start, or clear both.';
  if (start && end && start === end && !e.quietHoursStart) e.quietHoursEnd = 'Quiet hours must end at another time.';
  const cap = wholeError(v.dailyCap);
  if (cap) e.dailyCap = cap;
  const rate = wholeError(v.hourlyRate);
  if (rate) e.hourlyRate = rate;
  const logo = logoUrlError(v.logoUrl);
  if (logo) e.logoUrl = logo;
  const currency = currencyError(v.currency);
  if (currency) e.currency = currency;
  const signOff = signOffError(v.signOff);
  if (signOff) e.signOff = signOff;
  return e;
}

export function hasSettingsErrors(e: SettingsFormErrors): boolean {
  return Object.values(e).some(Boolean);
}

/** The PUT body: only what changed from `initial` (the server merges); empty means cleared (null). */
export function toSettingsPatch(v: SettingsFormValues, initial: SettingsFormValues): SettingsPatch {
  const patch: SettingsPatch = {};
  for (const f of TEXT_FIELDS) {
    if (v[f].trim() !== initial[f].trim()) patch[f] = v[f].trim() || null;
  }
  if (
    v.quietHoursStart.trim() !== initial.quietHoursStart.trim() ||
    v.quietHoursEnd.trim() !== initial.quietHoursEnd.trim()
  ) {
    const start = v.quietHoursStart.trim();
    const end = v.quietHoursEnd.trim();
    patch.quietHours = start && end ? { start, end } : null;
  }
  for (const f of ['dailyCap', 'hourlyRate'] as const) {
    if (v[f].trim() !== initial[f].trim()) patch[f] = v[f].trim() ? Number(v[f].trim()) : null;
  }
  return patch;
}

/** The input a server error's `field` names: the JSON key, or "quietHours" / "quietHours.end". */
export function settingsFieldOf(field: string | undefined): SettingsField | undefined {
  if (!field) return undefined;
  if (field === 'quietHours' || field === 'quietHours.start') return 'quietHoursStart';
  if (field === 'quietHours.end') return 'quietHoursEnd';
  return (SETTINGS_FIELDS as readonly string[]).includes(field) ? (field as SettingsField) : undefined;
}

/** Human names of settings, for the setup banner's list of what is missing. */
export const SETTING_LABELS: Record<string, string> = {
  shopName: 'Shop name',
  senderName: 'Sender name',
  senderEmail: 'Sender address',
  replyTo: 'Reply-to address',
  postalAddress: 'Postal address',
  publicUrl: 'Public URL',
  shopUrl: 'Shop URL',
  timeZone: 'Time zone',
  quietHours: 'Quiet hours',
  dailyCap: 'Daily cap',
  hourlyRate: 'Hourly rate',
  logoUrl: 'Logo URL',
  currency: 'Currency',
  signOff: 'Sign-off',
};

export function settingLabel(name: string): string {
  return SETTING_LABELS[name] ?? name;
}
