import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { ApiKeyDialog } from './ApiKeyDialog';
import { Notices } from './Notices';
import { SendingSwitch } from './SendingSwitch';
import { SetupBanner } from './SetupBanner';

const NAV = [
  { to: '/', label: 'Overview', end: true },
  { to: '/clients', label: 'Clients', end: true },
  { to: '/emails', label: 'Emails', end: false },
  { to: '/suppressions', label: 'Suppressions', end: true },
  { to: '/effectiveness', label: 'Effectiveness', end: true },
  { to: '/model', label: 'Predictions', end: true },
  { to: '/journey', label: 'Journey', end: true },
  { to: '/messages', label: 'Messages', end: false },
  { to: '/experiments', label: 'Experiments', end: false },
  { to: '/settings', label: 'Settings', end: true },
  { to: '/import', label: 'Import', end: true },
  { to: '/integrations', label: 'Integrations', end: true },
  { to: '/clients/new', label: 'Add client', end: true },
];

export function Layout() {
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After client-side navigation, move focus to the new page (as a full load would) so
  // keyboard and screen-reader users start at its top.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar__inner">
          <NavLink to="/" className="brand" aria-label="Rekindle overview">
            <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
              <rect width="32" height="32" rx="7" fill="#7c2d12" />
              <path d="M16 5c2 5 8 8 8 15a8 8 0 0 1-16 0c0-4 2-6 4-8 0 3 1 5 3 5-1-5 0-9 1-12z" fill="#fdba74" />
            </svg>
            <span>Rekindle</span>
          </NavLink>
          <nav aria-label="Main">
            <ul className="nav">
              {NAV.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end} className="nav__link">
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <SendingSwitch />
        </div>
      </header>
      <SetupBanner />
      <main id="main" className="main" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
      <Notices />
      <ApiKeyDialog />
    </>
  );
}
