import '@codegouvfr/react-dsfr/main.css';
import { startReactDsfr } from '@codegouvfr/react-dsfr/spa';
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Link } from './router';
import { SessionProvider } from './session';

declare module '@codegouvfr/react-dsfr/spa' {
  interface RegisterLink {
    Link: typeof Link;
  }
}

/** Starts a web app: DSFR (with our client-side Link), the session, then the app in #root. */
export function startApp(app: ReactNode): void {
  startReactDsfr({ defaultColorScheme: 'system', Link });
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing from index.html');
  createRoot(root).render(
    <StrictMode>
      <SessionProvider>{app}</SessionProvider>
    </StrictMode>,
  );
}
