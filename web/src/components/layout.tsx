import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { can } from '../lib/permissions';
import { useSession } from '../session';

type Theme = 'light' | 'dark';

function initialTheme(): Theme {
  // The theme choice is the only thing the console keeps in local storage.
  const saved = localStorage.getItem('console-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return [
    theme,
    () => {
      const next = theme === 'dark' ? 'light' : 'dark';
      localStorage.setItem('console-theme', next);
      setTheme(next);
    },
  ];
}

export function Layout({ children }: { children: ComponentChildren }) {
  const { user, signOut } = useSession();
  const { path } = useLocation();
  const [theme, toggleTheme] = useTheme();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  const links: Array<[string, string, boolean]> = [
    ['/', 'Browse', true],
    ['/search', 'Search', true],
    ['/datasources', 'Data sources', true],
    ['/tasks', 'Tasks', true],
    ['/webhooks', 'Webhooks', can.manageWebhooks(user.role)],
    ['/admin/users', 'Users', can.administer(user.role)],
    ['/admin/audit', 'Audit log', can.administer(user.role)],
  ];
  const current = (href: string) =>
    href === '/' ? path === '/' || path.startsWith('/browse') || path.startsWith('/assets') : path.startsWith(href);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          Metadata
        </a>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav id="main-nav" aria-label="Main" class={menuOpen ? 'open' : ''}>
          <ul>
            {links
              .filter(([, , shown]) => shown)
              .map(([href, label]) => (
                <li key={href}>
                  <a href={href} aria-current={current(href) ? 'page' : undefined}>
                    {label}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <div class="who">
          <span class="muted small" aria-label={`Signed in as ${user.username}, role ${user.role}`}>
            {user.username} · {user.role}
          </span>
          <button
            type="button"
            class="ghost"
            onClick={toggleTheme}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme === 'dark' ? 'Light' : 'Dark'}
          </button>
          <button type="button" class="ghost" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
