// The Integrations page's two notes: how a receiver verifies Rekindle's deliveries, and
// how a shop's platform is connected to Rekindle.

import { hookUrls } from '../lib/webhooks';

export function VerifyingDeliveriesNote() {
  return (
    <aside className="note integration-note" aria-labelledby="verifying-heading">
      <h3 id="verifying-heading">Verifying deliveries</h3>
      <p>
        Deliveries follow <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>. Each request carries three
        headers:
      </p>
      <ul>
        <li>
          <code>webhook-id</code>: the delivery's id, the same on every retry;
        </li>
        <li>
          <code>webhook-timestamp</code>: when it was sent, in seconds since 1970;
        </li>
        <li>
          <code>webhook-signature</code>: <code>v1,&lt;signature&gt;</code>, the base64 HMAC-SHA256 of{' '}
          <code>id.timestamp.body</code> keyed by the secret's bytes (the base64 after <code>whsec_</code>).
        </li>
      </ul>
      <p>
        Receivers check the signature against the raw body and deduplicate by <code>webhook-id</code>: a delivery can
        arrive more than once.
      </p>
    </aside>
  );
}

export function ConnectShopNote({ origin }: { origin: string }) {
  const urls = hookUrls(origin);
  return (
    <aside className="note integration-note" aria-labelledby="connect-heading">
      <h3 id="connect-heading">Connect your shop</h3>
      <p>Give your shop's platform these webhook URLs:</p>
      <ul>
        <li>
          Shopify: <code data-testid="hook-url-shopify">{urls.shopify}</code>
        </li>
        <li>
          WooCommerce: <code data-testid="hook-url-woocommerce">{urls.woocommerce}</code>
        </li>
      </ul>
      <p>
        Their signing secrets are set in the server's environment (<code>RKD_SHOPIFY_WEBHOOK_SECRETS</code>,{' '}
        <code>RKD_WOOCOMMERCE_WEBHOOK_SECRETS</code>), never in the dashboard. Until one is set, that platform's URL
        answers 404.
      </p>
    </aside>
  );
}
