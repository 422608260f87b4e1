import { Tabs } from '@codegouvfr/react-dsfr/Tabs';
import { CredentialsPanel } from './CredentialsPanel';
import { ImportPanel } from './ImportPanel';
import { UsersPanel } from './UsersPanel';

/** Admins manage accounts and their scopes, LRS credentials, and directory imports. */
export default function AdminPage() {
  return (
    <>
      <h1>Administration</h1>
      <Tabs
        tabs={[
          { label: 'Comptes et rôles', iconId: 'fr-icon-team-line', content: <UsersPanel />, isDefault: true },
          { label: 'Identifiants LRS', iconId: 'fr-icon-lock-line', content: <CredentialsPanel /> },
          { label: 'Import de l’annuaire', iconId: 'fr-icon-upload-line', content: <ImportPanel /> },
        ]}
      />
    </>
  );
}
