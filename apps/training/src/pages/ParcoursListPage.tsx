import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Link, apiFetch, graphql, navigate, useQuery } from '@ent-observatory/web';
import { useState } from 'react';
import { MODE_LABEL, frHours } from '../labels';

interface Row {
  id: string;
  kind: string;
  title: string;
  mode: string;
  hoursRemote: number;
  published: boolean;
  activities: { auIndex: number }[];
}

/** A trainer's parcours: create one, import a cmi5 package, open one to build it. */
export default function ParcoursListPage() {
  const { state } = useQuery<{ managedParcours: Row[] }>(
    '{ managedParcours { id kind title mode hoursRemote published activities { auIndex } } }',
  );
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = () =>
    graphql<{ createParcours: string }>('mutation($i: ParcoursInput!) { createParcours(input: $i) }', { i: { title } })
      .then(({ createParcours }) => navigate(`/formation/parcours/${createParcours}`))
      .catch((e: Error) => setError(e.message));
  const importPackage = async (file: File) => {
    const type = file.name.toLowerCase().endsWith('.zip') ? 'application/zip' : 'text/xml';
    const res = await apiFetch('/formation/api/packages', {
      method: 'POST',
      headers: { 'Content-Type': type },
      body: file,
    });
    const body = (await res.json()) as { courseId?: string; message?: string };
    if (!res.ok) throw new Error(body.message ?? `import refusé (${res.status})`);
    navigate(`/formation/parcours/${body.courseId}`);
  };
  return (
    <>
      <h1>Mes parcours</h1>
      {error && (
        <Alert
          className="fr-mb-3w"
          severity="error"
          title="Action refusée"
          description={error}
          closable
          onClose={() => setError(null)}
        />
      )}
      <div className="fr-grid-row fr-grid-row--gutters fr-mb-4w">
        <form
          className="fr-col-12 fr-col-md-6"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <h2 className="fr-h5">Construire un parcours</h2>
          <Input
            label="Titre du parcours"
            nativeInputProps={{ value: title, onChange: (e) => setTitle(e.target.value), required: true }}
          />
          <Button type="submit">Créer le parcours</Button>
        </form>
        <div className="fr-col-12 fr-col-md-6">
          <h2 className="fr-h5">Importer un module cmi5</h2>
          <div className="fr-upload-group">
            <label className="fr-label" htmlFor="paquet">
              Paquet cmi5
              <span className="fr-hint-text">Un fichier .zip contenant cmi5.xml, ou un cmi5.xml seul.</span>
            </label>
            <input
              id="paquet"
              className="fr-upload"
              type="file"
              accept=".zip,.xml"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void importPackage(file).catch((err: Error) => setError(err.message));
              }}
            />
          </div>
        </div>
      </div>
      {state.kind === 'loading' && <p aria-live="polite">Chargement…</p>}
      {state.kind === 'error' && <Alert severity="error" title="Parcours indisponibles" description={state.message} />}
      {state.kind === 'ready' && (
        <div className="fr-table">
          <table>
            <caption>Parcours que vous gérez</caption>
            <thead>
              <tr>
                <th scope="col">Parcours</th>
                <th scope="col">Origine du contenu</th>
                <th scope="col">Modalité</th>
                <th scope="col">Durée</th>
                <th scope="col">Activités</th>
                <th scope="col">Catalogue</th>
              </tr>
            </thead>
            <tbody>
              {state.data.managedParcours.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link href={`/formation/parcours/${p.id}`}>{p.title}</Link>
                  </td>
                  <td>{p.kind === 'native' ? 'Écrit dans l’espace' : 'Paquet cmi5 importé'}</td>
                  <td>{MODE_LABEL[p.mode] ?? p.mode}</td>
                  <td>{frHours(p.hoursRemote)}</td>
                  <td>{p.activities.length}</td>
                  <td>{p.published ? 'Publié' : 'Brouillon'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
