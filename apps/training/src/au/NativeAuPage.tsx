import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import Cmi5 from '@xapi/cmi5';
import { useEffect, useState } from 'react';
import { StatusPage } from '@ent-observatory/web';
import { Markdown } from './markdown';
import { QuizView } from './QuizView';

/** What GET /formation/api/au/content answers: the activity without its answers. */
export type AuContent = {
  title: string;
  launchMode: 'Normal' | 'Browse' | 'Review';
  masteryScore: number | null;
  activity:
    | { kind: 'page'; body: string; videoUrl?: string; documentUrl?: string }
    | { kind: 'depot'; instructions: string }
    | {
        kind: 'quiz';
        intro: string;
        questions: {
          id: string;
          kind: 'single' | 'multiple' | 'truefalse' | 'short';
          prompt: string;
          choices: string[];
        }[];
      };
};

type State =
  | { kind: 'starting' }
  | { kind: 'ready'; content: AuContent; au: Cmi5 }
  | { kind: 'done'; message: string }
  | { kind: 'error'; message: string };

/**
 * A native activity of the training space, run as a cmi5 AU with a cmi5 AU library (@xapi/cmi5): it reads its
 * launch parameters, fetches its token, reads LMS.LaunchData, sends "initialized", then what the learner does,
 * then "terminated", and goes back to the return URL. The same path as any imported AU.
 */
export default function NativeAuPage() {
  const [state, setState] = useState<State>({ kind: 'starting' });

  useEffect(() => {
    let cancelled = false;
    const au = new Cmi5();
    (async () => {
      await au.initialize();
      const res = await fetch('/formation/api/au/content', {
        headers: { Authorization: `Basic ${au.getAuthToken()}` },
      });
      if (!res.ok) throw new Error(`le contenu de l’activité est indisponible (${res.status})`);
      const content = (await res.json()) as AuContent;
      if (!cancelled) setState({ kind: 'ready', content, au });
    })().catch((e: Error) => !cancelled && setState({ kind: 'error', message: e.message }));
    return () => {
      cancelled = true;
    };
  }, []);

  /** Ends the session: "terminated", then back to where the LMS asked (§10.2.6). */
  const finish = async (au: Cmi5, message: string) => {
    await au.terminate();
    setState({ kind: 'done', message });
    const back = au.getLaunchData().returnURL;
    if (back) window.location.assign(back);
  };

  const fail = (e: Error) => setState({ kind: 'error', message: e.message });

  if (state.kind === 'starting') return <p aria-live="polite">Ouverture de l’activité…</p>;
  if (state.kind === 'error') {
    return <StatusPage severity="error" title="L’activité n’a pas pu continuer" description={state.message} />;
  }
  if (state.kind === 'done')
    return <StatusPage severity="success" title="Activité enregistrée" description={state.message} />;
  const { content, au } = state;
  const normal = content.launchMode === 'Normal';
  return (
    <article className="fr-container fr-py-4w">
      <h1>{content.title}</h1>
      {!normal && (
        <Alert
          severity="info"
          small
          description="Mode consultation : vos réponses ne sont pas enregistrées."
          className="fr-mb-3w"
        />
      )}
      {content.activity.kind === 'page' && (
        <>
          <Markdown text={content.activity.body} />
          {content.activity.videoUrl && (
            <p>
              <a
                className="fr-link fr-icon-video-line fr-link--icon-left"
                href={content.activity.videoUrl}
                target="_blank"
                rel="noopener noreferrer"
              >
                Regarder la vidéo
              </a>
            </p>
          )}
          {content.activity.documentUrl && (
            <p>
              <a
                className="fr-link fr-icon-file-download-line fr-link--icon-left"
                href={content.activity.documentUrl}
                target="_blank"
                rel="noopener noreferrer"
              >
                Ouvrir le document
              </a>
            </p>
          )}
          <Button
            iconId="fr-icon-check-line"
            onClick={() =>
              void (normal ? au.complete() : Promise.resolve())
                .then(() => finish(au, 'Page lue : votre progression est enregistrée.'))
                .catch(fail)
            }
          >
            J’ai terminé cette page
          </Button>
        </>
      )}
      {content.activity.kind === 'quiz' && (
        <QuizView
          content={content}
          token={au.getAuthToken()}
          onResult={async (grade) => {
            if (normal) {
              if (grade.passed) await au.pass(grade.scaled);
              else await au.fail(grade.scaled);
              if (grade.passed) await au.complete();
            }
          }}
          onFinish={() => void finish(au, 'Quiz terminé : votre résultat est enregistré.').catch(fail)}
          onError={fail}
        />
      )}
      {content.activity.kind === 'depot' && (
        <DepotView
          instructions={content.activity.instructions}
          token={au.getAuthToken()}
          onDone={() =>
            void (normal ? au.complete() : Promise.resolve())
              .then(() => finish(au, 'Fichier déposé : votre formateur le recevra.'))
              .catch(fail)
          }
          onError={fail}
        />
      )}
    </article>
  );
}

function DepotView(props: { instructions: string; token: string; onDone(): void; onError(e: Error): void }) {
  const [file, setFile] = useState<File | null>(null);
  const send = async () => {
    if (!file) return;
    const res = await fetch(`/formation/api/au/submission?filename=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { Authorization: `Basic ${props.token}`, 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
    });
    if (!res.ok) throw new Error(((await res.json()) as { message: string }).message);
    props.onDone();
  };
  return (
    <>
      <Markdown text={props.instructions} />
      <div className="fr-upload-group fr-mb-3w">
        <label className="fr-label" htmlFor="depot-fichier">
          Fichier à déposer
          <span className="fr-hint-text">Un seul fichier (PDF, image, document).</span>
        </label>
        <input
          id="depot-fichier"
          className="fr-upload"
          type="file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <Button disabled={!file} onClick={() => void send().catch(props.onError)}>
        Déposer le fichier
      </Button>
    </>
  );
}
