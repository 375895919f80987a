// The shop's sending settings. Validates as the server does, shows the server's 400 at
// the field it names, marks the settings sending waits for, and sends only what changed.

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import type { Settings } from '../api/settings/types';
import {
  CURRENCIES,
  currencyLabel,
  isCurrency,
  LOGO_URL_MAX,
  logoPreviewUrl,
  SIGN_OFF_MAX,
  signOffPlaceholder,
  UNSET_CURRENCY_LABEL,
} from '../lib/brand';
import { toSentence } from '../lib/format';
import {
  fromSettings,
  hasSettingsErrors,
  SETTINGS_FIELDS,
  settingsFieldOf,
  timeZoneNames,
  toSettingsPatch,
  validateSettingsForm,
  type SettingsField,
  type SettingsFormErrors,
} from '../lib/settingsForm';
import type { SettingsPatch } from '../api/settings/types';

interface FieldSpec {
  label: string;
  type: 'text' | 'email' | 'url' | 'time' | 'number' | 'select';
  hint?: string;
  /** The name `missing` uses for it. */
  settingName: string;
  multiline?: boolean;
  placeholder?: string;
  maxLength?: number;
}

const FIELDS: Record<SettingsField, FieldSpec> = {
  shopName: { label: 'Shop name', type: 'text', settingName: 'shopName', hint: 'Shown in the emails.' },
  logoUrl: {
    label: 'Logo URL',
    type: 'url',
    settingName: 'logoUrl',
    placeholder: 'https://yourshop.example/logo.png',
    maxLength: LOGO_URL_MAX,
    hint: 'The full https:// address of the shop’s logo, shown at the top of every email.',
  },
  currency: {
    label: 'Currency',
    type: 'select',
    settingName: 'currency',
    hint: 'Amounts in the emails are written in it, e.g. €42.50, £42.50 or 42.50 CHF.',
  },
  signOff: {
    label: 'Sign-off',
    type: 'text',
    settingName: 'signOff',
    maxLength: SIGN_OFF_MAX,
    hint: `The line every email ends with (one line, ${SIGN_OFF_MAX} characters at most).`,
  },
  senderName: {
    label: 'Sender name',
    type: 'text',
    settingName: 'senderName',
    hint: 'The name clients see in “From”.',
  },
  senderEmail: {
    label: 'Sender address',
    type: 'email',
    settingName: 'senderEmail',
    placeholder: 'hello@yourshop.example',
    hint: 'The address emails come from; its domain should be set up for sending (SPF, DKIM).',
  },
  replyTo: {
    label: 'Reply-to address',
    type: 'email',
    settingName: 'replyTo',
    hint: 'Where replies go, if not the sender.',
  },
  postalAddress: {
    label: 'Postal address',
    type: 'text',
    settingName: 'postalAddress',
    multiline: true,
    hint: 'The law (CAN-SPAM, GDPR) wants it in every marketing email.',
  },
  publicUrl: {
    label: 'Public URL',
    type: 'url',
    settingName: 'publicUrl',
    placeholder: 'https://rekindle.yourshop.example',
    hint: 'Where clients reach this Rekindle: unsubscribe links and tracking point here.',
  },
  shopUrl: {
    label: 'Shop URL',
    type: 'url',
    settingName: 'shopUrl',
    placeholder: 'https://yourshop.example',
    hint: 'Where the emails’ buttons lead.',
  },
  timeZone: {
    label: 'Time zone',
    type: 'text',
    settingName: 'timeZone',
    placeholder: 'Europe/Paris',
    hint: 'The shop’s; quiet hours and the daily cap count in it for clients without their own.',
  },
  quietHoursStart: {
    label: 'Quiet hours start',
    type: 'time',
    settingName: 'quietHours',
    hint: 'Nobody is emailed from this time…',
  },
  quietHoursEnd: {
    label: 'Quiet hours end',
    type: 'time',
    settingName: 'quietHours',
    hint: '…to this one, in their time zone.',
  },
  dailyCap: {
    label: 'Daily cap',
    type: 'number',
    settingName: 'dailyCap',
    hint: 'Emails per day at most. Leave empty for no cap.',
  },
  hourlyRate: {
    label: 'Hourly rate',
    type: 'number',
    settingName: 'hourlyRate',
    hint: 'Emails per hour at most, to warm up a new sending domain. Leave empty for no limit.',
  },
};

const GROUPS: { legend: string; fields: SettingsField[] }[] = [
  { legend: 'Shop', fields: ['shopUrl', 'publicUrl', 'postalAddress'] },
  { legend: 'Sender', fields: ['senderName', 'senderEmail', 'replyTo'] },
  { legend: 'When', fields: ['timeZone', 'quietHoursStart', 'quietHoursEnd'] },
  { legend: 'How many', fields: ['dailyCap', 'hourlyRate'] },
  // How the emails look; the test send below the form shows the result.
  { legend: 'Brand', fields: ['shopName', 'logoUrl', 'currency', 'signOff'] },
];

export function settingsInputId(prefix: string, field: SettingsField): string {
  return `${prefix}-${field}`;
}

export function SettingsForm({
  settings,
  busy,
  serverError,
  focusField,
  focusKey,
  onSave,
}: {
  settings: Settings;
  busy: boolean;
  serverError: ApiError | Error | null;
  /** A setting to focus on arrival (from the URL's #hash, e.g. a refused resume). */
  focusField?: string;
  /** Changes on every navigation, so a link to the same #hash focuses its field again. */
  focusKey?: string;
  onSave: (patch: SettingsPatch) => void;
}) {
  const prefix = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [initial] = useState(() => fromSettings(settings));
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<SettingsFormErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [dismissed, setDismissed] = useState<unknown>(null);
  const [zones] = useState(timeZoneNames);

  const active = serverError && serverError !== dismissed ? serverError : null;
  const serverField = active ? settingsFieldOf((active as ApiError).field) : undefined;
  const missing = new Set(settings.missing);

  function focus(field: SettingsField) {
    formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(settingsInputId(prefix, field))}`)?.focus();
  }

  useEffect(() => {
    const field = serverError ? settingsFieldOf((serverError as ApiError).field) : undefined;
    if (field) focus(field);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serverError]);

  useEffect(() => {
    const field = settingsFieldOf(focusField);
    if (!field) return;
    // After the layout has moved the focus to the new page (its effect runs after ours).
    const timer = setTimeout(() => focus(field), 0);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusField, focusKey]);

  function set(field: SettingsField, value: string) {
    const next = { ...values, [field]: value };
    setValues(next);
    if (submitted) setErrors(validateSettingsForm(next));
    if (serverField === field) setDismissed(serverError);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const found = validateSettingsForm(values);
    setErrors(found);
    if (hasSettingsErrors(found)) {
      const first = SETTINGS_FIELDS.find((f) => found[f]);
      if (first) focus(first);
      return;
    }
    setDismissed(null);
    onSave(toSettingsPatch(values, initial));
  }

  const patch = toSettingsPatch(values, initial);
  const changed = Object.keys(patch).length > 0;
  const logo = logoPreviewUrl(values.logoUrl);

  return (
    <form ref={formRef} className="form settings-form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
      {GROUPS.map((group) => (
        <fieldset key={group.legend} className="settings-group">
          <legend>{group.legend}</legend>
          {group.fields.map((field) => {
            const spec = FIELDS[field];
            const id = settingsInputId(prefix, field);
            const needed = missing.has(spec.settingName);
            const message = errors[field] ?? (serverField === field && active ? toSentence(active.message) : undefined);
            const describedBy = [spec.hint ? `${id}-hint` : null, message ? `${id}-error` : null]
              .filter(Boolean)
              .join(' ');
            const common = {
              id,
              name: field,
              value: values[field],
              'aria-invalid': message ? true : undefined,
              'aria-describedby': describedBy || undefined,
              'aria-required': needed || undefined,
            } as const;
            return (
              <div className={`field${message ? ' field--invalid' : ''}`} key={field}>
                <label htmlFor={id}>
                  {spec.label}
                  {needed && <span className="tag tag--caution"> needed to send</span>}
                </label>
                {spec.multiline ? (
                  <textarea {...common} rows={3} onChange={(e) => set(field, e.target.value)} />
                ) : spec.type === 'select' ? (
                  <select {...common} onChange={(e) => set(field, e.target.value)}>
                    <option value="">{UNSET_CURRENCY_LABEL}</option>
                    {/* A stored code the list does not know stays shown (and refused until changed). */}
                    {values.currency && !isCurrency(values.currency) && (
                      <option value={values.currency}>{values.currency}</option>
                    )}
                    {CURRENCIES.map((code) => (
                      <option key={code} value={code}>
                        {currencyLabel(code)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    {...common}
                    type={spec.type}
                    placeholder={field === 'signOff' ? signOffPlaceholder(values.shopName) : spec.placeholder}
                    maxLength={spec.maxLength}
                    autoComplete="off"
                    inputMode={spec.type === 'number' ? 'numeric' : undefined}
                    min={spec.type === 'number' ? '1' : undefined}
                    step={spec.type === 'number' ? '1' : undefined}
                    list={field === 'timeZone' && zones.length ? `${prefix}-zones` : undefined}
                    onChange={(e) => set(field, e.target.value)}
                  />
                )}
                {spec.hint && (
                  <p id={`${id}-hint`} className="field__hint">
                    {spec.hint}
                  </p>
                )}
                {message && (
                  <p id={`${id}-error`} className="field__error">
                    {message}
                  </p>
                )}
                {field === 'logoUrl' && logo && <LogoPreview key={logo} src={logo} />}
              </div>
            );
          })}
        </fieldset>
      ))}
      {zones.length > 0 && (
        <datalist id={`${prefix}-zones`}>
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      )}

      {active && !serverField && (
        <p className="form-error" role="alert">
          {toSentence(active.message)}
        </p>
      )}
      {active && serverField && (
        <p className="sr-only" role="alert">
          {FIELDS[serverField].label}: {toSentence(active.message)}
        </p>
      )}

      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy || !changed}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        {!changed && <span className="muted small">No unsaved changes.</span>}
      </div>
    </form>
  );
}

/** The logo as the emails will show it; a URL that does not load says so instead. */
function LogoPreview({ src }: { src: string }) {
  const [failed, setFailed] = useState(false);
  return (
    <div className="logo-preview">
      {failed ? (
        <p className="field__hint">The logo could not be loaded from this address here; check it opens in a browser.</p>
      ) : (
        <img src={src} alt="Logo preview" referrerPolicy="no-referrer" onError={() => setFailed(true)} />
      )}
    </div>
  );
}
