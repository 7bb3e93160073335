import { lazy, Suspense, useEffect, useMemo, type ComponentType } from 'react';
import { LoginPage } from './LoginPage';
import { pagesFor, type MobilePage } from './pages';
import { useI18n } from './i18n';
import { navigate, useSegment } from './router';
import { useSession } from './session';

const lazyOnce = new Map<string, ComponentType>();
function componentOf(p: MobilePage): ComponentType {
  if ('component' in p) return p.component;
  let c = lazyOnce.get(p.path);
  if (!c) {
    c = lazy(p.load);
    lazyOnce.set(p.path, c);
  }
  return c;
}

function Loading() {
  const { t } = useI18n();
  return (
    <p className="m-muted m-center" aria-busy="true">
      {t('app.loading')}
    </p>
  );
}

/** The frame of every mobile page: title bar, the page, and the bottom bar with the pages of PAGES this person may open. */
export function Shell() {
  const { t, lang, setLang } = useI18n();
  const session = useSession();
  const segment = useSegment();
  const permissions = session.me?.permissions ?? null;
  const pages = useMemo(() => pagesFor(permissions), [permissions]);
  const page = pages.find((p) => p.path === segment);
  // /m, unknown segments and pages this person may not open land on the first page.
  useEffect(() => {
    if (!page) navigate(pages[0]!.path, true);
  }, [page, pages]);
  const current = page ?? pages[0]!;
  const Page = useMemo(() => componentOf(current), [current]);

  let body;
  if (session.phase === 'loading') body = <Loading />;
  else if (session.phase === 'signedOut') body = <LoginPage />;
  else if (session.phase === 'error')
    body = (
      <div className="m-card m-center">
        <p>{t('app.error')}</p>
        <button className="m-button" onClick={session.retry}>
          {t('app.retry')}
        </button>
      </div>
    );
  else
    body = (
      <Suspense fallback={<Loading />}>
        <Page />
      </Suspense>
    );

  return (
    <div className="m-app">
      <header className="m-top">
        <h1>{session.phase === 'signedOut' ? t('app.name') : t(current.title)}</h1>
        <div className="m-top-actions">
          <button className="m-link" data-testid="m-lang" onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}>
            {t('lang.switchTo')}
          </button>
          {session.phase === 'ready' && (
            <button className="m-link" data-testid="m-signout" onClick={() => void session.signOut()}>
              {t('login.signOut')}
            </button>
          )}
        </div>
      </header>
      <main className="m-main">{body}</main>
      {session.phase === 'ready' && pages.length > 1 && (
        <nav className="m-tabs">
          {pages.map((p) => (
            <a
              key={p.path}
              href={`/m/${p.path}`}
              data-testid={`m-tab-${p.path}`}
              className={p === current ? 'm-tab m-tab-on' : 'm-tab'}
              aria-current={p === current ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(p.path);
              }}
            >
              <span aria-hidden="true">{p.icon}</span>
              {t(p.title)}
            </a>
          ))}
        </nav>
      )}
    </div>
  );
}
