import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Tag } from '@codegouvfr/react-dsfr/Tag';
import { type Role, type RoleGrant, graphql, roleLabel, useQuery } from '@ent-observatory/web';
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

export function UsersPanel() {
  const { state, reload } = useQuery<{ users: UserRow[] }>(USERS);
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
      {message && (
        <Alert
          severity={message.ok ? 'success' : 'error'}
          title={message.ok ? 'C’est fait' : 'L’opération a échoué'}
          description={message.text}
          className="fr-mb-3w"
          closable
          onClose={() => setMessage(null)}
        />
      )}
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
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {state.kind === 'ready' && (
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <CreateUserForm
              onDone={(text) => void run(Promise.resolve(), text)}
              onError={(text) => setMessage({ ok: false, text })}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <GrantRoleForm
              users={state.data.users}
              onGrant={(user, grant) =>
                void setRoles(user, [...user.roles, grant], `Rôle ${roleLabel(grant)} attribué à ${user.displayName}.`)
              }
            />
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

function CreateUserForm({ onDone, onError }: { onDone(text: string): void; onError(text: string): void }) {
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
      onDone(`Compte de ${displayName} créé : transmettez-lui son mot de passe par un canal sûr.`);
      setEmail('');
      setDisplayName('');
      setPassword('');
    } catch (err) {
      onError((err as Error).message);
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
    </form>
  );
}

function GrantRoleForm({ users, onGrant }: { users: UserRow[]; onGrant(user: UserRow, grant: RoleGrant): void }) {
  const [userId, setUserId] = useState(users[0]?.id ?? '');
  const [grant, setGrant] = useState<RoleGrant>({ role: 'academy', scope: '' });
  const user = users.find((u) => u.id === userId);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (user) onGrant(user, grant);
      }}
      aria-labelledby="grant-title"
    >
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
    </form>
  );
}
