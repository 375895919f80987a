// The add/edit client form: its values, validation that mirrors the API's
// (src/api/validation.cc), and conversion to the request bodies.
//
// Mirroring means the browser refuses what the server would refuse, with the same
// wording where it can; the server stays the authority and its errors are shown at the
// field they name.

import type { NewUser, User, UserPatch } from '../api/users/types';
import { dateInputToIso, isoToDateInput, toDateInputValue } from './format';

/** What the form's inputs hold: always strings, as inputs do. */
export interface ClientFormValues {
  email: string;
  name: string;
  /** YYYY-MM-DD or empty (no order yet). */
  lastOrderDate: string;
  orderCount: string;
  averageOrderValue: string;
  /** Comma-separated. */
  preferredCategories: string;
}

export type ClientFormField = keyof ClientFormValues;
export type ClientFormErrors = Partial<Record<ClientFormField, string>>;

export const CLIENT_FORM_FIELDS: readonly ClientFormField[] = [
  'email',
  'name',
  'lastOrderDate',
  'orderCount',
  'averageOrderValue',
  'preferredCategories',
];

export const EMPTY_CLIENT_FORM: ClientFormValues = {
  email: '',
  name: '',
  lastOrderDate: '',
  orderCount: '',
  averageOrderValue: '',
  preferredCategories: '',
};

const LOCAL_SPECIALS = "!#$%&'*+/=?^_`{|}~.-";

function isAlnum(c: string): boolean {
  return /^[A-Za-z0-9]$/.test(c);
}

/** The API's email rule (IsValidEmailAddress): a plain local part and a dotted domain. */
export function isValidEmail(s: string): boolean {
  if (s.length > 254) return false;
  const at = s.indexOf('@');
  if (at <= 0 || at > 64 || s.indexOf('@', at + 1) !== -1) return false;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  for (const c of local) if (!isAlnum(c) && !LOCAL_SPECIALS.includes(c)) return false;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  if (domain.length < 3 || !domain.includes('.')) return false;
  for (const label of domain.split('.')) {
    if (label.length === 0 || label.length > 63) return false;
    if (label.startsWith('-') || label.endsWith('-')) return false;
    for (const c of label) if (!isAlnum(c) && c !== '-') return false;
  }
  return true;
}

export function parseCategories(text: string): string[] {
  return text
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

const NUMBER_RE = /^\d+(\.\d+)?$/;

/**
 * Field errors for the values, empty when the form may be sent. `now` decides what
 * "in the future" means.
 */
export function validateClientForm(values: ClientFormValues, now: Date = new Date()): ClientFormErrors {
  const errors: ClientFormErrors = {};

  const email = values.email.trim();
  if (!email) errors.email = 'Email is required.';
  else if (email.length > 254) errors.email = 'Email must be at most 254 characters.';
  else if (!isValidEmail(email)) errors.email = 'Enter a valid email address, like name@example.com.';

  const name = values.name.trim();
  if (!name) errors.name = 'Name is required.';
  else if (name.length > 200) errors.name = 'Name must be at most 200 characters.';

  if (values.lastOrderDate) {
    const iso = dateInputToIso(values.lastOrderDate);
    if (!iso) errors.lastOrderDate = 'Enter a date as YYYY-MM-DD.';
    else if (values.lastOrderDate > toDateInputValue(now))
      errors.lastOrderDate = 'The last order date must not be in the future.';
    else if (new Date(iso).getTime() < 0) errors.lastOrderDate = 'The last order date must not be before 1970.';
  }

  const count = values.orderCount.trim();
  if (count) {
    if (count.startsWith('-')) errors.orderCount = 'Orders must not be negative.';
    else if (!/^\d+$/.test(count)) errors.orderCount = 'Orders must be a whole number.';
    else if (Number(count) > 1e15) errors.orderCount = 'Orders is too large.';
  }

  const aov = values.averageOrderValue.trim();
  if (aov) {
    if (aov.startsWith('-')) errors.averageOrderValue = 'Average order value must not be negative.';
    else if (!NUMBER_RE.test(aov)) errors.averageOrderValue = 'Average order value must be a number, like 49.90.';
    else if (Number(aov) > 1e12) errors.averageOrderValue = 'Average order value is too large.';
  }

  const categories = parseCategories(values.preferredCategories);
  if (categories.length > 50) errors.preferredCategories = 'At most 50 categories.';
  else if (categories.some((c) => c.length > 100))
    errors.preferredCategories = 'Each category must be at most 100 characters.';

  return errors;
}

export function hasErrors(errors: ClientFormErrors): boolean {
  return Object.values(errors).some(Boolean);
}

/** The POST /api/users body; blank optional fields are left to the server's defaults. */
export function toNewUser(values: ClientFormValues): NewUser {
  const body: NewUser = { email: values.email.trim(), name: values.name.trim() };
  if (values.lastOrderDate) body.lastOrderDate = dateInputToIso(values.lastOrderDate);
  if (values.orderCount.trim()) body.orderCount = Number(values.orderCount.trim());
  if (values.averageOrderValue.trim()) body.averageOrderValue = Number(values.averageOrderValue.trim());
  const categories = parseCategories(values.preferredCategories);
  if (categories.length) body.preferredCategories = categories;
  return body;
}

/** The form's starting values for an existing client. */
export function fromUser(user: User): ClientFormValues {
  return {
    email: user.email,
    name: user.name,
    lastOrderDate: isoToDateInput(user.lastOrderDate),
    orderCount: String(user.orderCount),
    averageOrderValue: String(user.averageOrderValue),
    preferredCategories: user.preferredCategories.join(', '),
  };
}

/**
 * The PUT body: only the fields the user changed, so an untouched date keeps its time of
 * day and an untouched number keeps its precision. Cleared numbers become 0; a cleared
 * date becomes null (no order yet).
 */
export function toUserPatch(initial: ClientFormValues, values: ClientFormValues): UserPatch {
  const patch: UserPatch = {};
  if (values.email.trim() !== initial.email.trim()) patch.email = values.email.trim();
  if (values.name.trim() !== initial.name.trim()) patch.name = values.name.trim();
  if (values.lastOrderDate !== initial.lastOrderDate)
    patch.lastOrderDate = values.lastOrderDate ? dateInputToIso(values.lastOrderDate) : null;
  if (values.orderCount.trim() !== initial.orderCount.trim()) patch.orderCount = Number(values.orderCount.trim() || 0);
  if (values.averageOrderValue.trim() !== initial.averageOrderValue.trim())
    patch.averageOrderValue = Number(values.averageOrderValue.trim() || 0);
  const before = parseCategories(initial.preferredCategories);
  const after = parseCategories(values.preferredCategories);
  if (before.join('\u0000') !== after.join('\u0000')) patch.preferredCategories = after;
  return patch;
}

/** The form field a server error names, when the form has one. */
export function formFieldOf(apiField: string | undefined): ClientFormField | undefined {
  if (!apiField) return undefined;
  return (CLIENT_FORM_FIELDS as readonly string[]).includes(apiField) ? (apiField as ClientFormField) : undefined;
}
