import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Link, StatusPage, graphql, navigate, useQuery } from '@ent-observatory/web';
import { useState } from 'react';
import { KIND_LABEL } from '../labels';
import { ActivityForm } from './ActivityForm';

interface Detail {
  id: string;
  kind: string;
  title: string;
  description: string;
  objectives: string;
  audience: string;
  hoursRemote: number;
  hoursOnsite: number;
  mode: string;
  origin: string;
  originAcademie: string;
  published: boolean;
  modules: { id: string; title: string }[];
  activities: { auIndex: number; title: string; module: string; kind: string; moveOn: string }[];
}

const QUERY = `query($id: ID!) { parcours(id: $id) { id kind title description objectives audience hoursRemote hoursOnsite mode
  origin originAcademie published modules { id title } activities { auIndex title module kind moveOn } } }`;

type Meta = Omit<Detail, 'id' | 'kind' | 'modules' | 'activities'>;

function metaOf(p: Detail): Meta {
  const { id: _i, kind: _k, modules: _m, activities: _a, ...meta } = p;
  return meta;
}

/** Building a parcours: its catalogue description (M@gistère model), modules, activities; then a session. */
export default function ParcoursEditPage({ courseId }: { courseId: string }) {
  const { state, reload } = useQuery<{ parcours: Detail }>(QUERY, { id: courseId });
  // The form starts from the saved description; reloading modules and activities keeps unsaved edits.
  const [edited, setMeta] = useState<Meta | null>(null);
  const [moduleTitle, setModuleTitle] = useState('');
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [session, setSession] = useState({ name: '', startsOn: '', endsOn: '', selfEnrolment: false });
  const meta = edited ?? (state.kind === 'ready' ? metaOf(state.data.parcours) : null);
  if (state.kind === 'loading' || !meta) return <p aria-live="polite">Chargement…</p>;
  if (state.kind === 'error')
    return <StatusPage severity="error" title="Parcours indisponible" description={state.message} />;
  const p = state.data.parcours;
  const act = (promise: Promise<unknown>, ok: string) =>
    promise
      .then(() => {
        setNotice({ ok: true, text: ok });
        reload();
      })
      .catch((e: Error) => setNotice({ ok: false, text: e.message }));
  // Once saved, the form shows the saved parcours again (published or not).
  const save = (published = meta.published) =>
    graphql('mutation($id: ID!, $i: ParcoursInput!) { updateParcours(id: $id, input: $i) }', {
      id: courseId,
      i: { ...meta, published },
    })
      .then(() => {
        setMeta(null);
        setNotice({ ok: true, text: 'Parcours enregistré.' });
        reload();
      })
      .catch((e: Error) => setNotice({ ok: false, text: e.message }));
  const field = (key: keyof Meta, label: string, textArea = false) =>
    textArea ? (
      <Input
        label={label}
        textArea
        nativeTextAreaProps={{ value: String(meta[key]), onChange: (e) => setMeta({ ...meta, [key]: e.target.value }) }}
      />
    ) : (
      <Input
        label={label}
        nativeInputProps={{ value: String(meta[key]), onChange: (e) => setMeta({ ...meta, [key]: e.target.value }) }}
      />
    );
  return (
    <>
      <nav className="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol className="fr-breadcrumb__list">
          <li>
            <Link className="fr-breadcrumb__link" href="/formation/parcours">
              Mes parcours
            </Link>
          </li>
          <li>
            <a className="fr-breadcrumb__link" aria-current="page">
              {p.title}
            </a>
          </li>
        </ol>
      </nav>
      <h1>{p.title}</h1>
      {notice && (
        <Alert
          className="fr-mb-3w"
          small
          severity={notice.ok ? 'success' : 'error'}
          description={notice.text}
          closable
          onClose={() => setNotice(null)}
        />
      )}
      <form
        className="fr-mb-5w"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2 className="fr-h4">Description du parcours</h2>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            {field('title', 'Titre')}
            {field('description', 'Description', true)}
            {field('objectives', 'Objectifs', true)}
          </div>
          <div className="fr-col-12 fr-col-md-6">
            {field('audience', 'Public visé')}
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-6">
                <Input
                  label="Heures à distance"
                  nativeInputProps={{
                    type: 'number',
                    min: 0,
                    step: 0.5,
                    value: meta.hoursRemote,
                    onChange: (e) => setMeta({ ...meta, hoursRemote: Number(e.target.value) }),
                  }}
                />
              </div>
              <div className="fr-col-6">
                <Input
                  label="Heures en présence"
                  nativeInputProps={{
                    type: 'number',
                    min: 0,
                    step: 0.5,
                    value: meta.hoursOnsite,
                    onChange: (e) => setMeta({ ...meta, hoursOnsite: Number(e.target.value) }),
                  }}
                />
              </div>
            </div>
            <Select
              label="Modalité"
              nativeSelectProps={{ value: meta.mode, onChange: (e) => setMeta({ ...meta, mode: e.target.value }) }}
            >
              <option value="autoformation">Autoformation (à son rythme, inscription libre)</option>
              <option value="accompagne">Accompagné (sessions datées, tutorat)</option>
            </Select>
            <Select
              label="Origine"
              nativeSelectProps={{ value: meta.origin, onChange: (e) => setMeta({ ...meta, origin: e.target.value }) }}
            >
              <option value="national">Nationale</option>
              <option value="academie">Académique</option>
            </Select>
            {meta.origin === 'academie' && field('originAcademie', 'Code de l’académie (ex. 14)')}
          </div>
        </div>
        <ul className="fr-btns-group fr-btns-group--inline">
          <li>
            <Button type="submit" priority="secondary">
              Enregistrer
            </Button>
          </li>
          <li>
            <Button type="button" onClick={() => void save(!meta.published)}>
              {meta.published ? 'Retirer du catalogue' : 'Publier dans le catalogue'}
            </Button>
          </li>
        </ul>
      </form>

      <h2 className="fr-h4">Modules et activités</h2>
      {p.activities.length === 0 && <p>Ce parcours n’a pas encore d’activité.</p>}
      <ol>
        {p.modules.map((m) => (
          <li key={m.id}>
            <strong>{m.title}</strong>
            <ul>
              {p.activities
                .filter((a) => a.module === m.title)
                .map((a) => (
                  <li key={a.auIndex}>
                    {a.title} — {KIND_LABEL[a.kind] ?? a.kind} (validée si :{' '}
                    {a.moveOn === 'Passed' ? 'réussie' : a.moveOn === 'Completed' ? 'terminée' : a.moveOn})
                  </li>
                ))}
            </ul>
          </li>
        ))}
      </ol>
      {p.kind === 'imported' && p.modules.length === 0 && (
        <ul>
          {p.activities.map((a) => (
            <li key={a.auIndex}>{a.title} — module cmi5</li>
          ))}
        </ul>
      )}
      {p.kind === 'native' && (
        <>
          <form
            className="fr-mb-3w"
            onSubmit={(e) => {
              e.preventDefault();
              void act(
                graphql('mutation($c: ID!, $t: String!) { addParcoursModule(courseId: $c, title: $t) }', {
                  c: courseId,
                  t: moduleTitle,
                }),
                'Module ajouté.',
              ).then(() => setModuleTitle(''));
            }}
          >
            <Input
              label="Nouveau module"
              nativeInputProps={{ value: moduleTitle, onChange: (e) => setModuleTitle(e.target.value), required: true }}
            />
            <Button type="submit" priority="secondary">
              Ajouter le module
            </Button>
          </form>
          {p.modules.length > 0 && (
            <ActivityForm
              courseId={courseId}
              modules={p.modules}
              onAdded={(t) => void act(Promise.resolve(), `Activité « ${t} » ajoutée.`)}
              onError={(m) => setNotice({ ok: false, text: m })}
            />
          )}
        </>
      )}

      <h2 className="fr-h4 fr-mt-5w">Ouvrir une session</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          graphql<{ createTrainingSession: string }>(
            'mutation($i: TrainingSessionInput!) { createTrainingSession(input: $i) }',
            {
              i: {
                courseId,
                name: session.name,
                startsOn: session.startsOn || null,
                endsOn: session.endsOn || null,
                selfEnrolment: session.selfEnrolment,
              },
            },
          )
            .then(({ createTrainingSession }) => navigate(`/formation/sessions/${createTrainingSession}`))
            .catch((err: Error) => setNotice({ ok: false, text: err.message }));
        }}
      >
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-4">
            <Input
              label="Nom de la session"
              nativeInputProps={{
                value: session.name,
                onChange: (e) => setSession({ ...session, name: e.target.value }),
                required: true,
              }}
            />
          </div>
          <div className="fr-col-6 fr-col-md-4">
            <Input
              label="Début"
              nativeInputProps={{
                type: 'date',
                value: session.startsOn,
                onChange: (e) => setSession({ ...session, startsOn: e.target.value }),
              }}
            />
          </div>
          <div className="fr-col-6 fr-col-md-4">
            <Input
              label="Fin"
              nativeInputProps={{
                type: 'date',
                value: session.endsOn,
                onChange: (e) => setSession({ ...session, endsOn: e.target.value }),
              }}
            />
          </div>
        </div>
        <Checkbox
          options={[
            {
              label: 'Inscription libre depuis le catalogue (autoformation)',
              nativeInputProps: {
                checked: session.selfEnrolment,
                onChange: (e) => setSession({ ...session, selfEnrolment: e.target.checked }),
              },
            },
          ]}
        />
        <Button type="submit">Ouvrir la session</Button>
      </form>
    </>
  );
}
