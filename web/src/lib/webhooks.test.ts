import { describe, expect, it } from 'vitest';
import {
  endpointLabel,
  formatLastStatus,
  hasWebhookErrors,
  hookUrls,
  isReplayable,
  isWebhookUrl,
  readIntegrationFilters,
  statusTone,
  toggleEvent,
  toNewWebhook,
  utf8Length,
  validateWebhookForm,
  webhookFieldOf,
  writeIntegrationFilters,
} from './webhooks';

const EVENTS = ['client.at_risk', 'email.sent', 'client.unsubscribed'];

describe('the add-endpoint form', () => {
  it('takes http(s) URLs with a host only', () => {
    expect(isWebhookUrl('https://example.com/hooks')).toBe(true);
    expect(isWebhookUrl('http://127.0.0.1:8081/')).toBe(true);
    expect(isWebhookUrl('HTTPS://Example.com')).toBe(true);
    expect(isWebhookUrl('ftp://example.com/')).toBe(false);
    expect(isWebhookUrl('example.com/hooks')).toBe(false);
    expect(isWebhookUrl('https://')).toBe(false);
    expect(isWebhookUrl('http:///path')).toBe(false);
    expect(isWebhookUrl('javascript:alert(1)')).toBe(false);
    expect(isWebhookUrl('https://:8080/')).toBe(false);
    expect(isWebhookUrl('https://user@/x')).toBe(false);
    expect(isWebhookUrl('https://exa mple.com/')).toBe(false);
    expect(isWebhookUrl('https://[::1]:8080/hooks')).toBe(true);
    expect(isWebhookUrl('https://user:pw@example.com:8443/h?x=1')).toBe(true);
  });

  it('counts the description in UTF-8 bytes, as the server does', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    const ok = validateWebhookForm({ url: 'https://x.example', events: ['email.sent'], description: 'a'.repeat(200) });
    expect(ok).toEqual({});
    // 100 characters but 200 bytes is still fine; 101 of them is not.
    expect(
      validateWebhookForm({ url: 'https://x.example', events: ['email.sent'], description: 'é'.repeat(100) }),
    ).toEqual({});
    expect(
      validateWebhookForm({ url: 'https://x.example', events: ['email.sent'], description: 'é'.repeat(101) })
        .description,
    ).toBe('The description must be at most 200 bytes (it is 202).');
  });

  it('needs a URL and at least one event', () => {
    const errors = validateWebhookForm({ url: ' ', events: [], description: '' });
    expect(errors.url).toBe('Enter the URL the events are sent to.');
    expect(errors.events).toBe('Choose at least one event.');
    expect(hasWebhookErrors(errors)).toBe(true);
    expect(validateWebhookForm({ url: 'mailto:a@b.c', events: ['email.sent'], description: '' }).url).toMatch(/http/);
    expect(hasWebhookErrors({})).toBe(false);
  });

  it('sends the events in the server order, trimmed values, and no empty description', () => {
    expect(
      toNewWebhook(
        { url: ' https://x.example/h ', events: ['client.unsubscribed', 'client.at_risk'], description: '  ' },
        EVENTS,
      ),
    ).toEqual({ url: 'https://x.example/h', events: ['client.at_risk', 'client.unsubscribed'] });
    expect(toNewWebhook({ url: 'https://x.example', events: ['email.sent'], description: ' CRM ' }, EVENTS)).toEqual({
      url: 'https://x.example',
      events: ['email.sent'],
      description: 'CRM',
    });
  });

  it('toggles an event', () => {
    expect(toggleEvent([], 'email.sent', true)).toEqual(['email.sent']);
    expect(toggleEvent(['email.sent'], 'email.sent', true)).toEqual(['email.sent']);
    expect(toggleEvent(['email.sent', 'client.at_risk'], 'email.sent', false)).toEqual(['client.at_risk']);
  });

  it('maps the server error field to a form field, and an unknown key to none', () => {
    expect(webhookFieldOf('url')).toBe('url');
    expect(webhookFieldOf('events')).toBe('events');
    expect(webhookFieldOf('events[2]')).toBe('events');
    expect(webhookFieldOf('description')).toBe('description');
    expect(webhookFieldOf('secret')).toBeUndefined();
    expect(webhookFieldOf(undefined)).toBeUndefined();
  });
});

describe('the filters in the URL', () => {
  it('reads known values and ignores the rest', () => {
    expect(readIntegrationFilters(new URLSearchParams('endpointId=wh_1&status=dead&source=shopify'))).toEqual({
      endpointId: 'wh_1',
      status: 'dead',
      source: 'shopify',
    });
    expect(readIntegrationFilters(new URLSearchParams('status=lost&source=magento&endpointId=%20'))).toEqual({
      endpointId: undefined,
      status: undefined,
      source: undefined,
    });
  });

  it('writes only what is set', () => {
    expect(writeIntegrationFilters({ endpointId: undefined, status: 'pending', source: undefined })).toEqual({
      status: 'pending',
    });
    expect(writeIntegrationFilters({ endpointId: 'wh_1', status: undefined, source: 'cdp' })).toEqual({
      endpointId: 'wh_1',
      source: 'cdp',
    });
  });
});

describe('deliveries', () => {
  it('replays dead and delivered ones only', () => {
    expect(isReplayable({ status: 'dead' })).toBe(true);
    expect(isReplayable({ status: 'delivered' })).toBe(true);
    expect(isReplayable({ status: 'pending' })).toBe(false);
  });

  it('reads statuses and endpoints', () => {
    expect(formatLastStatus(503)).toBe('503');
    expect(formatLastStatus(null)).toBe('—');
    expect(statusTone('delivered')).toBe('ok');
    expect(statusTone('applied')).toBe('ok');
    expect(statusTone('pending')).toBe('warn');
    expect(statusTone('dead')).toBe('stop');
    expect(statusTone('failed')).toBe('stop');
    expect(statusTone('ignored')).toBe('muted');
    const urls = new Map([['wh_1', 'https://a.example']]);
    expect(endpointLabel('wh_1', urls)).toBe('https://a.example');
    expect(endpointLabel('wh_2', urls)).toBe('wh_2 (deleted)');
    expect(endpointLabel('wh_2', undefined)).toBe('wh_2');
  });

  it("gives the shop's platform this server's hook URLs", () => {
    expect(hookUrls('https://rekindle.example.com')).toEqual({
      shopify: 'https://rekindle.example.com/hooks/shopify',
      woocommerce: 'https://rekindle.example.com/hooks/woocommerce',
    });
    expect(hookUrls('http://127.0.0.1:8080/').shopify).toBe('http://127.0.0.1:8080/hooks/shopify');
  });
});
