import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { graphql, useLocation, useQuery } from '@ent-observatory/web';
import { useState } from 'react';
import { KIND_LABEL, frDate, frDateTime, frPercent } from '../labels';

interface Options {
  assignmentOptions: {
    classes: { id: string; name: string; establishmentName: string }[];
    parcours: {
      id: string;
      title: string;
      activities: { auIndex: number; title: string; module: string; kind: string }[];
    }[];
    subjects: { code: string; label: string }[];
  };
}

interface Assignment {
  id: string;
  title: string;
  courseTitle: string;
  auIndex: number | null;
  subject: string;
  dueAt: string;
  assignedAt: string;
  pupils: number;
  enrolled: number;
  started: number;
  handedIn: number;
  late: number;
  meanScore: number | null;
}

const OPTIONS = `{ assignmentOptions { classes { id name establishmentName }
  parcours { id title activities { auIndex title module kind } } subjects { code label } } }`;
const LIST = `query($c: String!) { classAssignments(classId: $c) { id title courseTitle auIndex subject dueAt assignedAt
  pupils enrolled started handedIn late meanScore } }`;

/** A Paris calendar day, `days` after today. */
function parisDay(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

/** Teachers → pupils: give a parcours or one of its activities to a class, due on a day, and see who did it. */
export default function AssignmentsPage() {
  const { query } = useLocation();
  const { state } = useQuery<Options>(OPTIONS);
  const [classId, setClassId] = useState(query.get('classe') ?? '');
  const [courseId, setCourseId] = useState('');
  const [activity, setActivity] = useState('');
  const [subject, setSubject] = useState('');
  const [dueOn, setDueOn] = useState(parisDay(7));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // Bumped after an assignment: the list below is fetched again.
  const [version, setVersion] = useState(0);

  const options = state.kind === 'ready' ? state.data.assignmentOptions : null;
  const cls = options?.classes.find((c) => c.id === classId) ?? options?.classes[0];
  const parcours = options?.parcours.find((p) => p.id === courseId) ?? options?.parcours[0];
  if (state.kind === 'loading') return <p aria-live="polite">Chargement…</p>;
  if (state.kind === 'error')
    return <Alert severity="error" title="Devoirs indisponibles" description={state.message} />;
  if (!options || !cls) {
    return (
      <>
        <h1>Devoirs de mes classes</h1>
        <p>Aucune classe ne vous est confiée dans l’annuaire : rien à donner pour l’instant.</p>
      </>
    );
  }
  const subjectLabel = (code: string) => options.subjects.find((s) => s.code === code)?.label ?? code;

  const assign = () => {
    if (!parcours) return;
    const chosen = parcours.activities.find((a) => String(a.auIndex) === activity);
    const what = chosen ? `l’activité « ${chosen.title} »` : `le parcours « ${parcours.title} »`;
    graphql<{ assignTraining: string }>(
      'mutation($c: String!, $p: String!, $i: Int, $d: String!, $s: String!) { assignTraining(classId: $c, courseId: $p, auIndex: $i, dueOn: $d, subject: $s) }',
      {
        c: cls.id,
        p: parcours.id,
        i: chosen ? chosen.auIndex : null,
        d: dueOn,
        s: subject || options.subjects[0]!.code,
      },
    )
      .then(() => {
        setMessage({ ok: true, text: `${what} est donné à la classe ${cls.name}, à rendre pour le ${frDate(dueOn)}.` });
        setVersion((v) => v + 1);
      })
      .catch((e: Error) => setMessage({ ok: false, text: e.message }));
  };

  return (
    <>
      <h1>Devoirs de mes classes</h1>
      <p>
        Donnez à votre classe un parcours de l’espace de formation, ou une seule de ses activités, à faire pour une
        date. Vos élèves le trouvent dans « Mes formations » ; ce qu’ils rendent et leurs scores apparaissent dans le
        suivi de la classe comme un devoir du cahier de textes.
      </p>
      {message && (
        <Alert
          className="fr-mb-3w"
          severity={message.ok ? 'success' : 'error'}
          title={message.ok ? 'Devoir donné' : 'Devoir refusé'}
          description={message.text}
          closable
          onClose={() => setMessage(null)}
        />
      )}
      <form
        className="fr-mb-4w"
        onSubmit={(e) => {
          e.preventDefault();
          assign();
        }}
      >
        <h2 className="fr-h5">Donner une activité</h2>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-4">
            <Select label="Classe" nativeSelectProps={{ value: cls.id, onChange: (e) => setClassId(e.target.value) }}>
              {options.classes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} — {c.establishmentName}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select
              label="Parcours"
              nativeSelectProps={{
                value: parcours?.id ?? '',
                onChange: (e) => {
                  setCourseId(e.target.value);
                  setActivity('');
                },
              }}
            >
              {options.parcours.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select
              label="Activité"
              hint="Tout le parcours, ou une seule de ses activités"
              nativeSelectProps={{ value: activity, onChange: (e) => setActivity(e.target.value) }}
            >
              <option value="">Tout le parcours</option>
              {parcours?.activities.map((a) => (
                <option key={a.auIndex} value={String(a.auIndex)}>
                  {a.module ? `${a.module} — ` : ''}
                  {a.title} ({KIND_LABEL[a.kind] ?? a.kind})
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select
              label="Matière"
              nativeSelectProps={{
                value: subject || options.subjects[0]!.code,
                onChange: (e) => setSubject(e.target.value),
              }}
            >
              {options.subjects.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.label}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input
              label="À rendre pour le"
              hintText="Le devoir est dû à 23 h 59 ce jour-là"
              nativeInputProps={{
                type: 'date',
                value: dueOn,
                min: parisDay(0),
                required: true,
                onChange: (e) => setDueOn(e.target.value),
              }}
            />
          </div>
        </div>
        <Button type="submit" disabled={!parcours}>
          Donner à la classe
        </Button>
        {options.parcours.length === 0 && <p>Aucun parcours n’est publié dans le catalogue.</p>}
      </form>
      <AssignmentTable key={`${cls.id}|${version}`} cls={cls} subjectLabel={subjectLabel} />
    </>
  );
}

function AssignmentTable(props: { cls: { id: string; name: string }; subjectLabel: (code: string) => string }) {
  const { cls } = props;
  const { state } = useQuery<{ classAssignments: Assignment[] }>(LIST, { c: cls.id });
  if (state.kind === 'loading') return <p aria-live="polite">Chargement…</p>;
  if (state.kind === 'error')
    return <Alert severity="error" title="Devoirs indisponibles" description={state.message} />;
  const list = state.data.classAssignments;
  if (list.length === 0) return <p>Aucun devoir donné à la classe {cls.name} depuis l’espace de formation.</p>;
  return (
    <div className="fr-table">
      <table>
        <caption>Devoirs donnés à la classe {cls.name}</caption>
        <thead>
          <tr>
            <th scope="col">Devoir</th>
            <th scope="col">Matière</th>
            <th scope="col">À rendre le</th>
            <th scope="col">Élèves inscrits</th>
            <th scope="col">Commencé</th>
            <th scope="col">Rendu</th>
            <th scope="col">Score moyen</th>
            <th scope="col">Suivi</th>
          </tr>
        </thead>
        <tbody>
          {list.map((a) => {
            const due = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(a.dueAt));
            const from = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(a.assignedAt));
            return (
              <tr key={a.id}>
                <td>
                  {a.title}
                  {a.auIndex !== null && <span className="fr-text--xs"> ({a.courseTitle})</span>}
                </td>
                <td>{props.subjectLabel(a.subject)}</td>
                <td>{frDateTime(a.dueAt)}</td>
                <td>
                  {a.enrolled} / {a.pupils}
                </td>
                <td>{a.started}</td>
                <td>
                  {a.handedIn} / {a.pupils}
                  {a.late > 0 && ` (dont ${a.late} en retard)`}
                </td>
                <td>{frPercent(a.meanScore)}</td>
                <td>
                  <a href={`/suivi/classe?id=${encodeURIComponent(cls.id)}&du=${from}&au=${due}`}>
                    Voir le suivi<span className="fr-sr-only"> de « {a.title} »</span>
                  </a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="fr-text--sm">
        Inscrits : les élèves de la classe qui ont un compte ; un élève dont le compte est créé plus tard reçoit le
        devoir à sa première visite de « Mes formations ». Rendu : l’activité (ou tout le parcours) est validée selon sa
        règle de réussite.
      </p>
    </div>
  );
}
