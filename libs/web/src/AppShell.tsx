import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { Header, type HeaderProps } from '@codegouvfr/react-dsfr/Header';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { type ReactNode, useEffect } from 'react';
import { useSession } from './session';

export interface NavItem {
  text: string;
  href: string;
  isActive?: boolean;
  /** Sub-entries: the item becomes a DSFR drop-down menu. */
  menu?: NavItem[];
}

/**
 * The page frame both apps share: DSFR header (with the signed-in user and sign-out), main content, footer.
 * `otherApp` links the observatory and the training space to each other.
 */
export function AppShell(props: {
  serviceTitle: string;
  serviceTagline: string;
  homeHref: string;
  otherApp: { text: string; href: string; iconId: 'fr-icon-book-2-line' | 'fr-icon-line-chart-line' };
  footerDescription: string;
  /** Where this app publishes the accessibility statement (AccessibilityStatement). */
  accessibilityHref: string;
  /** What the page is, for the window title: « <page> – <service> » (RGAA 8.6). */
  pageTitle: string;
  navigation?: NavItem[];
  children: ReactNode;
}) {
  const { state, signOut } = useSession();
  useEffect(() => {
    document.title = `${props.pageTitle} – ${props.serviceTitle}`;
  }, [props.pageTitle, props.serviceTitle]);
  const quickAccess: HeaderProps.QuickAccessItem[] = [
    { iconId: props.otherApp.iconId, linkProps: { href: props.otherApp.href }, text: props.otherApp.text },
  ];
  if (state.kind === 'signed-in') {
    quickAccess.push({
      iconId: 'fr-icon-logout-box-r-line',
      buttonProps: { onClick: () => void signOut(), 'aria-label': `Se déconnecter (${state.user.displayName})` },
      text: `Se déconnecter (${state.user.displayName})`,
    });
  }
  return (
    <>
      <SkipLinks
        links={[
          { label: 'Contenu', anchor: '#contenu' },
          { label: 'Pied de page', anchor: '#pied-de-page' },
        ]}
      />
      <Header
        brandTop={
          <>
            Ministère
            <br />
            de l’Éducation
            <br />
            nationale
          </>
        }
        serviceTitle={props.serviceTitle}
        serviceTagline={props.serviceTagline}
        homeLinkProps={{ href: props.homeHref, title: `Accueil – ${props.serviceTitle}` }}
        quickAccessItems={quickAccess}
        navigation={props.navigation?.map((n) =>
          n.menu
            ? {
                text: n.text,
                isActive: n.isActive ?? false,
                menuLinks: n.menu.map((m) => ({
                  text: m.text,
                  linkProps: { href: m.href },
                  isActive: m.isActive ?? false,
                })),
              }
            : { text: n.text, linkProps: { href: n.href }, isActive: n.isActive ?? false },
        )}
      />
      <main id="contenu" className="fr-container fr-py-6w" tabIndex={-1}>
        {props.children}
      </main>
      <Footer
        id="pied-de-page"
        accessibility="partially compliant"
        accessibilityLinkProps={{ href: props.accessibilityHref }}
        contentDescription={props.footerDescription}
      />
    </>
  );
}
