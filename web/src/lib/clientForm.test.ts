import { describe, expect, it } from 'vitest';
import type { User } from '../api/users/types';
import {
  EMPTY_CLIENT_FORM,
  formFieldOf,
  fromUser,
  hasErrors,
  isValidEmail,
  parseCategories,
  toNewUser,
  toUserPatch,
  validateClientForm,
  type ClientFormValues,
} from './clientForm';

const NOW = new Date('2026-03-15T12:00:00Z');
const valid: ClientFormValues = { ...EMPTY_CLIENT_FORM, email: 'ada@example.com', name: 'Ada' };

describe('isValidEmail mirrors the API', () => {
  it.each(['ada@example.com', 'a.b+tag@mail.example.co.uk', "o'neil@x-y.io", 'x@ab.c'])('accepts %s', (e) => {
    expect(isValidEmail(e)).toBe(true);
  });

  it.each([
    'no-at-sign',
    '@example.com',
    'a@@example.com',
    'a@b@example.com',
    '.ada@example.com',
    'ada.@example.com',
    'a..da@example.com',
    'ada@localhost',
    'ada@-example.com',
    'ada@example-.com',
    'ada@exa_mple.com',
    'ada@example..com',
    'ad a@example.com',
    'ädä@example.com',
    `${'a'.repeat(65)}@example.com`,
  ])('rejects %s', (e) => {
    expect(isValidEmail(e)).toBe(false);
  });
});

describe('validateClientForm', () => {
  it('passes a form with just an email and a name', () => {
    expect(validateClientForm(valid, NOW)).toEqual({});
  });

  it('requires an email and a name', () => {
    const errors = validateClientForm({ ...EMPTY_CLIENT_FORM, name: '   ' }, NOW);
    expect(errors.email).toMatch(/required/);
    expect(errors.name).toMatch(/required/);
    expect(hasErrors(errors)).toBe(true);
  });

  it('refuses a malformed email', () => {
    expect(validateClientForm({ ...valid, email: 'ada@' }, NOW).email).toMatch(/valid email/);
  });

  it('refuses a last order date in the future but accepts today', () => {
    expect(validateClientForm({ ...valid, lastOrderDate: '2026-03-16' }, NOW).lastOrderDate).toMatch(/future/);
    expect(validateClientForm({ ...valid, lastOrderDate: '2026-03-15' }, NOW).lastOrderDate).toBeUndefined();
  });

  it('refuses negative or fractional order counts', () => {
    expect(validateClientForm({ ...valid, orderCount: '-1' }, NOW).orderCount).toMatch(/negative/);
    expect(validateClientForm({ ...valid, orderCount: '1.5' }, NOW).orderCount).toMatch(/whole number/);
    expect(validateClientForm({ ...valid, orderCount: '3' }, NOW).orderCount).toBeUndefined();
  });

  it('refuses a negative or non-numeric average order value', () => {
    expect(validateClientForm({ ...valid, averageOrderValue: '-0.5' }, NOW).averageOrderValue).toMatch(/negative/);
    expect(validateClientForm({ ...valid, averageOrderValue: 'abc' }, NOW).averageOrderValue).toMatch(/number/);
    expect(validateClientForm({ ...valid, averageOrderValue: '49.90' }, NOW).averageOrderValue).toBeUndefined();
  });

  it('limits categories to 50 of at most 100 characters', () => {
    const many = Array.from({ length: 51 }, (_, i) => `c${i}`).join(',');
    expect(validateClientForm({ ...valid, preferredCategories: many }, NOW).preferredCategories).toMatch(/50/);
    expect(validateClientForm({ ...valid, preferredCategories: 'x'.repeat(101) }, NOW).preferredCategories).toMatch(
      /100/,
    );
  });
});

describe('request bodies', () => {
  it('sends only the fields filled in when adding', () => {
    expect(toNewUser({ ...valid, email: ' ada@example.com ' })).toEqual({ email: 'ada@example.com', name: 'Ada' });
  });

  it('converts every filled field to the API type', () => {
    expect(
      toNewUser({
        email: 'ada@example.com',
        name: 'Ada',
        lastOrderDate: '2026-01-05',
        orderCount: '1',
        averageOrderValue: '42.5',
        preferredCategories: 'Denim,  Knitwear , ,',
      }),
    ).toEqual({
      email: 'ada@example.com',
      name: 'Ada',
      lastOrderDate: '2026-01-05T00:00:00.000Z',
      orderCount: 1,
      averageOrderValue: 42.5,
      preferredCategories: ['Denim', 'Knitwear'],
    });
  });

  it('sends only what changed when editing', () => {
    const user: User = {
      userId: 'u1',
      email: 'ada@example.com',
      name: 'Ada',
      lastOrderDate: '2026-01-05T15:30:00Z',
      orderCount: 2,
      averageOrderValue: 10.125,
      preferredCategories: ['Denim'],
      engagementScore: 80,
      lastEmailDate: null,
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
    };
    const initial = fromUser(user);
    expect(toUserPatch(initial, initial)).toEqual({});
    expect(toUserPatch(initial, { ...initial, name: 'Ada L.', preferredCategories: 'Denim, Tops' })).toEqual({
      name: 'Ada L.',
      preferredCategories: ['Denim', 'Tops'],
    });
    expect(toUserPatch(initial, { ...initial, lastOrderDate: '' })).toEqual({ lastOrderDate: null });
    expect(toUserPatch(initial, { ...initial, orderCount: '' })).toEqual({ orderCount: 0 });
  });

  it('splits categories on commas and drops blanks', () => {
    expect(parseCategories(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
  });
});

describe('formFieldOf', () => {
  it('maps a server field to the form field it names, if the form has it', () => {
    expect(formFieldOf('email')).toBe('email');
    expect(formFieldOf('userId')).toBeUndefined();
    expect(formFieldOf(undefined)).toBeUndefined();
  });
});
