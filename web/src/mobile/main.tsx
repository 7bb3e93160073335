import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n';
import { SessionProvider } from './session';
import { Shell } from './Shell';
import './mobile.css';

/** The light mobile entry (/m): plain React, no antd, its own strings; see pages.tsx to add a page. */
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
