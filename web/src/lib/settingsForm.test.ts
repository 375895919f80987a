import { describe, expect, it } from 'vitest';
import { someSettings } from '../test/controls';
import {
  fromSettings,
  hasSettingsErrors,
  isValidTimeZone,
  isValidUrl,
  settingLabel,
  settingsFieldOf,
  toSettingsPatch,
  validateSettingsForm,
} from './settingsForm';

describe('settingsForm', () => {
  it('sends nothing when nothing changed, and only the changed settings otherwise', () => {
    const initial = fromSettings(someSettings());
    expect(toSettingsPatch(initial, initial)).toEqual({});
    expect(toSettingsPatch({ ...initial, senderName: ' Loom ', dailyCap: '' }, initial)).toEqual({
      senderName: 'Loom',
      dailyCap: null,
    });
  });

  it('sends quiet hours as a pair, and null when both are cleared', () => {
    const initial = fromSettings(someSettings());
    expect(toSettingsPatch({ ...initial, quietHoursEnd: '07:00' }, initial)).toEqual({
      quietHours: { start: '21:00', end: '07:00' },
    });
    expect(toSettingsPatch({ ...initial, quietHoursStart: '', quietHoursEnd: '' }, initial)).toEqual({
      quietHours: null,
    });
  });

  it('accepts a complete, valid form', () => {
    expect(hasSettingsErrors(validateSettingsForm(fromSettings(someSettings())))).toBe(false);
  });

  it('refuses bad addresses, URLs, time zones, times and limits', () => {
    const v = fromSettings(someSettings());
    const errors = validateSettingsForm({
      ...v,
      senderEmail: 'shop',
      replyTo: 'a@b',
      publicUrl: 'ftp://x.example',
      shopUrl: 'loom.example',
      timeZone: 'Nowhere/Town',
      quietHoursStart: '25:00',
      dailyCap: '0',
      hourlyRate: '1.5',
    });
    expect(Object.keys(errors).sort()).toEqual(
      [
        'dailyCap',
        'hourlyRate',
        'publicUrl',
        'quietHoursStart',
        'replyTo',
        'senderEmail',
        'shopUrl',
        'timeZone',
      ].sort(),
    );
    expect(validateSettingsForm({ ...v, quietHoursEnd: '21:00' }).quietHoursEnd).toBe(
      'Quiet hours must end at another time.',
    );
  });

  it('knows URLs and time zones', () => {
    expect(isValidUrl('https://loom.example/shop')).toBe(true);
    expect(isValidUrl('javascript:alert(1)')).toBe(false);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('EST5EDT-ish')).toBe(false);
  });

  it('maps the server’s field names and names the missing settings', () => {
    expect(settingsFieldOf('senderEmail')).toBe('senderEmail');
    expect(settingsFieldOf('quietHours')).toBe('quietHoursStart');
    expect(settingsFieldOf('quietHours.end')).toBe('quietHoursEnd');
    expect(settingsFieldOf('missing')).toBeUndefined();
    expect(settingLabel('publicUrl')).toBe('Public URL');
    expect(settingLabel('somethingNew')).toBe('somethingNew');
  });

  it('reads, checks and sends the brand settings, an emptied one as null', () => {
    const initial = fromSettings(someSettings({ logoUrl: null, currency: null, signOff: null }));
    expect([initial.logoUrl, initial.currency, initial.signOff]).toEqual(['', '', '']);
    const edited = { ...initial, logoUrl: ' https://loom.example/l.png ', currency: 'EUR', signOff: 'The Loom team' };
    expect(hasSettingsErrors(validateSettingsForm(edited))).toBe(false);
    expect(toSettingsPatch(edited, initial)).toEqual({
      logoUrl: 'https://loom.example/l.png',
      currency: 'EUR',
      signOff: 'The Loom team',
    });
    expect(toSettingsPatch(initial, edited)).toEqual({ logoUrl: null, currency: null, signOff: null });
    expect(
      Object.keys(
        validateSettingsForm({
          ...initial,
          logoUrl: 'http://x.example/l.png',
          currency: 'XBT',
          signOff: 'x'.repeat(101),
        }),
      ).sort(),
    ).toEqual(['currency', 'logoUrl', 'signOff']);
    expect(settingsFieldOf('logoUrl')).toBe('logoUrl');
    expect(settingLabel('signOff')).toBe('Sign-off');
  });
});
