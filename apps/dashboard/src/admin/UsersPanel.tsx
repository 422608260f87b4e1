import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Tag } from '@codegouvfr/react-dsfr/Tag';
import { type Role, type RoleGrant, graphql, roleLabel, useQuery, useSession } from '@ent-observatory/web';
import { type FormEvent, useState } from 'react';

interface UserRow {
  id: string;
  email: string;
  displayName: string;
  enabled: boolean;
  roles: RoleGrant[];
}

const USERS = '{ users { id email displayName enabled roles { role scope } } }';

/** What the scope field asks for, per role; roles without a scope hide it. */
const ROLE_CHOICES: { role: Role; label: string; scopeHint?: string }[] = [
  { role: 'national', label: 'National (ministère)' },
  { role: 'academy', label: 'Académie', scopeHint: 'Code de l’académie, 2 chiffres (Rennes : 14, Créteil : 24)' },
  { role: 'establishment', label: 'Établissement (chef d’établissement)', scopeHint: 'UAI, ex. 0350001A' },
  { role: 'teacher', label: 'Enseignant·e', scopeHint: 'Identifiant de la classe ou du groupe' },
  { role: 'trainer', label: 'Formateur·rice', scopeHint: 'Identifiant du parcours' },
  { role: 'learner', label: 'Apprenant·e' },
  { role: 'admin', label: 'Administration' },
];

/** An error or a success, shown beside the form or table it concerns. */
function Outcome({ message, onClose }: { message: { ok: boolean; text: string } | null; onClose(): void }) {
  if (!message) return null;
  return (
    <Alert
      severity={message.ok ? 'success' : 'error'}
      title={message.ok ? 'C’est fait' : 'L’opération a échoué'}
      description={message.text}
      className="fr-mt-2w"
      small
      closable
      onClose={onClose}
    />
  );
}

export function UsersPanel() {
  const { state, reload } = useQuery<{ users: UserRow[] }>(USERS);
  const session = useSession();
  const me = session.state.kind === 'signed-in' ? session.state.user.id : '';
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const run = async (what: Promise<unknown>, done: string) => {
    try {
      await what;
      setMessage({ ok: true, text: done });
      reload();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  const setRoles = (user: UserRow, roles: RoleGrant[], done: string) =>
    run(
      graphql('mutation($id: String!, $roles: [RoleGrantInput!]!) { setUserRoles(id: $id, roles: $roles) { id } }', {
        id: user.id,
        roles: roles.map(({ role, scope }) => ({ role, scope })),
      }),
      done,
    );

  return (
    <>
      <h2>Comptes</h2>
      {state.kind === 'loading' && <p aria-live="polite">Chargement des comptes…</p>}
      {state.kind === 'error' && <Alert severity="error" title="Comptes indisponibles" description={state.message} />}
      {state.kind === 'ready' && (
        <div className="fr-table fr-table--no-caption">
          <table>
            <caption>Comptes</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Adresse électronique</th>
                <th scope="col">Rôles et périmètres</th>
                <th scope="col">État</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {state.data.users.map((u) => (
                <tr key={u.id}>
                  <td>{u.displayName}</td>
                  <td>{u.email}</td>
                  <td>
                    <ul className="fr-tags-group">
                      {u.roles.map((g) => (
                        <li key={`${g.role}:${g.scope}`}>
                          <Tag
                            small
                            dismissible
                            nativeButtonProps={{
                              'aria-label': `Retirer le rôle ${roleLabel(g)} à ${u.displayName}`,
                              onClick: () =>
                                void setRoles(
                                  u,
                                  u.roles.filter((x) => x !== g),
                                  `Rôle ${roleLabel(g)} retiré à ${u.displayName}.`,
                                ),
                            }}
                          >
                            {roleLabel(g)}
                          </Tag>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {u.enabled ? (
                      <Badge severity="success" small>
                        Actif
                      </Badge>
                    ) : (
                      <Badge severity="error" small>
                        Désactivé
                      </Badge>
                    )}
                  </td>
                  <td>
                    {u.id === me ? (
                      <span className="fr-text--xs">Votre compte</span>
                    ) : (
                      <Button
                        priority="secondary"
                        size="small"
                        onClick={() =>
                          void run(
                            graphql(
                              'mutation($id: String!, $e: Boolean!) { setUserEnabled(id: $id, enabled: $e) { id } }',
                              {
                                id: u.id,
                                e: !u.enabled,
                              },
                            ),
                            `${u.displayName} ${u.enabled ? 'désactivé·e : ses sessions sont fermées' : 'réactivé·e'}.`,
                          )
                        }
                      >
                        {u.enabled ? 'Désactiver' : 'Réactiver'}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Outcome message={message} onClose={() => setMessage(null)} />
        </div>
      )}
      {state.kind === 'ready' && (
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <CreateUserForm onCreated={reload} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <GrantRoleForm users={state.data.users} onGranted={reload} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <ResetPasswordForm users={state.data.users} />
          </div>
        </div>
      )}
    </>
  );
}

function RoleFields({
  grant,
  onChange,
  idPrefix,
}: {
  grant: RoleGrant;
  onChange(g: RoleGrant): void;
  idPrefix: string;
}) {
  const choice = ROLE_CHOICES.find((c) => c.role === grant.role)!;
  return (
    <>
      <Select
        label="Rôle"
        nativeSelectProps={{
          id: `${idPrefix}-role`,
          value: grant.role,
          onChange: (e) => onChange({ role: e.target.value as Role, scope: '' }),
        }}
      >
        {ROLE_CHOICES.map((c) => (
          <option key={c.role} value={c.role}>
            {c.label}
          </option>
        ))}
      </Select>
      {choice.scopeHint && (
        <Input
          label="Périmètre"
          hintText={choice.scopeHint}
          nativeInputProps={{
            id: `${idPrefix}-scope`,
            value: grant.scope,
            required: true,
            onChange: (e) => onChange({ ...grant, scope: e.target.value }),
          }}
        />
      )}
    </>
  );
}

function CreateUserForm({ onCreated }: { onCreated(): void }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [grant, setGrant] = useState<RoleGrant>({ role: 'national', scope: '' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await graphql('mutation($i: NewUserInput!) { createUser(input: $i) { id } }', {
        i: { email, displayName, password, roles: [grant] },
      });
      setMessage({
        ok: true,
        text: `Compte de ${displayName} créé : transmettez-lui son mot de passe par un canal sûr.`,
      });
      setEmail('');
      setDisplayName('');
      setPassword('');
      onCreated();
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="create-user-title">
      <h3 id="create-user-title">Créer un compte</h3>
      <Input
        label="Nom affiché"
        nativeInputProps={{ value: displayName, required: true, onChange: (e) => setDisplayName(e.target.value) }}
      />
      <Input
        label="Adresse électronique"
        nativeInputProps={{ type: 'email', value: email, required: true, onChange: (e) => setEmail(e.target.value) }}
      />
      <Input
        label="Mot de passe initial"
        hintText="12 caractères au moins"
        nativeInputProps={{
          type: 'password',
          autoComplete: 'new-password',
          value: password,
          required: true,
          onChange: (e) => setPassword(e.target.value),
        }}
      />
      <RoleFields grant={grant} onChange={setGrant} idPrefix="create" />
      <Button type="submit">Créer le compte</Button>
      <Outcome message={message} onClose={() => setMessage(null)} />
    </form>
  );
}

function GrantRoleForm({ users, onGranted }: { users: UserRow[]; onGranted(): void }) {
  const [userId, setUserId] = useState(users[0]?.id ?? '');
  const [grant, setGrant] = useState<RoleGrant>({ role: 'academy', scope: '' });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const user = users.find((u) => u.id === userId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!user) return;
    try {
      await graphql(
        'mutation($id: String!, $roles: [RoleGrantInput!]!) { setUserRoles(id: $id, roles: $roles) { id } }',
        {
          id: user.id,
          roles: [...user.roles, grant].map(({ role, scope }) => ({ role, scope })),
        },
      );
      setMessage({ ok: true, text: `Rôle ${roleLabel(grant)} attribué à ${user.displayName}.` });
      onGranted();
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="grant-title">
      <h3 id="grant-title">Attribuer un rôle</h3>
      <Select label="Compte" nativeSelectProps={{ value: userId, onChange: (e) => setUserId(e.target.value) }}>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.displayName} ({u.email})
          </option>
        ))}
      </Select>
      <RoleFields grant={grant} onChange={setGrant} idPrefix="grant" />
      <Button type="submit">Attribuer</Button>
      <Outcome message={message} onClose={() => setMessage(null)} />
    </form>
  );
}

/** For a user who lost their password: a new one, under the same policy as at creation; their sessions end. */
function ResetPasswordForm({ users }: { users: UserRow[] }) {
  const [userId, setUserId] = useState(users[0]?.id ?? '');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const user = users.find((u) => u.id === userId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!user) return;
    try {
      await graphql('mutation($id: String!, $p: String!) { resetUserPassword(id: $id, password: $p) { id } }', {
        id: user.id,
        p: password,
      });
      setPassword('');
      setMessage({
        ok: true,
        text: `Mot de passe de ${user.displayName} remplacé, ses sessions sont fermées : transmettez-le-lui par un canal sûr.`,
      });
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="reset-title">
      <h3 id="reset-title">Réinitialiser un mot de passe</h3>
      <Select label="Compte" nativeSelectProps={{ value: userId, onChange: (e) => setUserId(e.target.value) }}>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.displayName} ({u.email})
          </option>
        ))}
      </Select>
      <Input
        label="Nouveau mot de passe"
        hintText="12 caractères au moins, difficile à deviner : une phrase de plusieurs mots sans rapport entre eux"
        nativeInputProps={{
          type: 'password',
          autoComplete: 'new-password',
          value: password,
          required: true,
          onChange: (e) => setPassword(e.target.value),
        }}
      />
      <Button type="submit">Remplacer le mot de passe</Button>
      <Outcome message={message} onClose={() => setMessage(null)} />
    </form>
  );
}
