import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { graphql, useQuery } from '@ent-observatory/web';
import { useState } from 'react';
import { frDateTime } from '../labels';

interface Thread {
  id: string;
  title: string;
  posts: { id: string; body: string; author: string; createdAt: string }[];
}

/** The discussion space of a session: threads and replies between its learners, trainers and tutors. */
export default function DiscussionPage({ sessionId }: { sessionId: string }) {
  const { state, reload } = useQuery<{ sessionThreads: Thread[] }>(
    'query($s: ID!) { sessionThreads(sessionId: $s) { id title posts { id body author createdAt } } }',
    { s: sessionId },
  );
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [replies, setReplies] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const done = () => reload();
  return (
    <>
      <h1>Discussion de la session</h1>
      {error && (
        <Alert
          className="fr-mb-3w"
          small
          severity="error"
          description={error}
          closable
          onClose={() => setError(null)}
        />
      )}
      {state.kind === 'error' && <Alert severity="error" title="Discussion indisponible" description={state.message} />}
      <form
        className="fr-mb-4w"
        onSubmit={(e) => {
          e.preventDefault();
          graphql(
            'mutation($s: ID!, $t: String!, $b: String!) { startTrainingThread(sessionId: $s, title: $t, body: $b) }',
            { s: sessionId, t: title, b: body },
          )
            .then(() => {
              setTitle('');
              setBody('');
              done();
            })
            .catch((err: Error) => setError(err.message));
        }}
      >
        <h2 className="fr-h5">Nouveau sujet</h2>
        <Input
          label="Titre du sujet"
          nativeInputProps={{ value: title, onChange: (e) => setTitle(e.target.value), required: true }}
        />
        <Input
          label="Message"
          textArea
          nativeTextAreaProps={{ value: body, onChange: (e) => setBody(e.target.value), required: true }}
        />
        <Button type="submit">Publier</Button>
      </form>
      {state.kind === 'ready' &&
        state.data.sessionThreads.map((t) => (
          <section key={t.id} className="fr-mb-4w">
            <h2 className="fr-h5">{t.title}</h2>
            {t.posts.map((p) => (
              <blockquote key={p.id} className="fr-quote fr-py-1w fr-mb-1w">
                <p className="fr-text--md">{p.body}</p>
                <p className="fr-quote__author fr-text--sm">
                  {p.author}, {frDateTime(p.createdAt)}
                </p>
              </blockquote>
            ))}
            <form
              onSubmit={(e) => {
                e.preventDefault();
                graphql('mutation($t: ID!, $b: String!) { replyTrainingThread(threadId: $t, body: $b) }', {
                  t: t.id,
                  b: replies[t.id] ?? '',
                })
                  .then(() => {
                    setReplies({ ...replies, [t.id]: '' });
                    done();
                  })
                  .catch((err: Error) => setError(err.message));
              }}
            >
              <Input
                label={`Répondre à « ${t.title} »`}
                nativeInputProps={{
                  value: replies[t.id] ?? '',
                  onChange: (e) => setReplies({ ...replies, [t.id]: e.target.value }),
                }}
              />
              <Button size="small" type="submit">
                Répondre
              </Button>
            </form>
          </section>
        ))}
    </>
  );
}
