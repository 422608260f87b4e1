import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { graphql } from '@ent-observatory/web';
import { useState } from 'react';

interface Question {
  kind: string;
  prompt: string;
  choices: string;
  correct: string;
  accepted: string;
  feedbackRight: string;
  feedbackWrong: string;
}

const EMPTY_QUESTION: Question = {
  kind: 'single',
  prompt: '',
  choices: '',
  correct: '1',
  accepted: '',
  feedbackRight: '',
  feedbackWrong: '',
};

/** Adds a native activity: a page (rich text, video, document), a quiz (four kinds of questions) or a dépôt. */
export function ActivityForm(props: {
  courseId: string;
  modules: { id: string; title: string }[];
  onAdded(title: string): void;
  onError(m: string): void;
}) {
  const [moduleId, setModuleId] = useState(props.modules[props.modules.length - 1]!.id);
  const [kind, setKind] = useState('page');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [videoUrl, setVideoUrl] = useState('');
  const [documentUrl, setDocumentUrl] = useState('');
  const [mastery, setMastery] = useState('80');
  const [questions, setQuestions] = useState<Question[]>([{ ...EMPTY_QUESTION }]);

  const setQuestion = (i: number, q: Partial<Question>) =>
    setQuestions(questions.map((x, j) => (j === i ? { ...x, ...q } : x)));
  const submit = () => {
    const input = {
      title,
      kind,
      body: kind === 'page' ? body : '',
      intro: kind === 'quiz' ? body : '',
      instructions: kind === 'depot' ? body : '',
      videoUrl: videoUrl || null,
      documentUrl: documentUrl || null,
      masteryScore: kind === 'quiz' ? Number(mastery) / 100 : null,
      questions:
        kind === 'quiz'
          ? questions.map((q) => ({
              kind: q.kind,
              prompt: q.prompt,
              choices: q.choices
                .split('\n')
                .map((c) => c.trim())
                .filter(Boolean),
              // Trainers count choices from 1; true/false: 1 = vrai, 2 = faux.
              correct: q.correct
                .split(/[ ,;]+/)
                .filter(Boolean)
                .map((n) => Number(n) - 1),
              accepted: q.accepted
                .split('\n')
                .map((a) => a.trim())
                .filter(Boolean),
              feedbackRight: q.feedbackRight,
              feedbackWrong: q.feedbackWrong,
            }))
          : [],
    };
    graphql(
      'mutation($c: ID!, $m: ID!, $a: ActivityInput!) { addParcoursActivity(courseId: $c, moduleId: $m, input: $a) }',
      { c: props.courseId, m: moduleId, a: input },
    )
      .then(() => {
        props.onAdded(title);
        setTitle('');
        setBody('');
        setVideoUrl('');
        setDocumentUrl('');
        setQuestions([{ ...EMPTY_QUESTION }]);
      })
      .catch((e: Error) => props.onError(e.message));
  };

  return (
    <form
      className="fr-p-3w fr-mb-3w"
      style={{ border: '1px solid var(--border-default-grey)' }}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3 className="fr-h5">Ajouter une activité</h3>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Module" nativeSelectProps={{ value: moduleId, onChange: (e) => setModuleId(e.target.value) }}>
            {props.modules.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Type d’activité" nativeSelectProps={{ value: kind, onChange: (e) => setKind(e.target.value) }}>
            <option value="page">Page (texte, vidéo, document)</option>
            <option value="quiz">Quiz</option>
            <option value="depot">Dépôt de fichier</option>
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Titre de l’activité"
            nativeInputProps={{ value: title, onChange: (e) => setTitle(e.target.value), required: true }}
          />
        </div>
      </div>
      <Input
        label={kind === 'page' ? 'Texte de la page' : kind === 'quiz' ? 'Consigne du quiz' : 'Ce qu’il faut déposer'}
        hintText="Mise en forme : ## titre, **gras**, *italique*, - liste, [lien](https://…)"
        textArea
        nativeTextAreaProps={{ value: body, onChange: (e) => setBody(e.target.value), rows: 6 }}
      />
      {kind === 'page' && (
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Lien vers une vidéo (facultatif)"
              nativeInputProps={{ type: 'url', value: videoUrl, onChange: (e) => setVideoUrl(e.target.value) }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Lien vers un document (facultatif)"
              nativeInputProps={{ type: 'url', value: documentUrl, onChange: (e) => setDocumentUrl(e.target.value) }}
            />
          </div>
        </div>
      )}
      {kind === 'quiz' && (
        <>
          <Input
            label="Score de réussite (%)"
            nativeInputProps={{
              type: 'number',
              min: 0,
              max: 100,
              value: mastery,
              onChange: (e) => setMastery(e.target.value),
            }}
          />
          {questions.map((q, i) => (
            <fieldset key={i} className="fr-fieldset fr-mb-2w">
              <legend className="fr-fieldset__legend">Question {i + 1}</legend>
              <div className="fr-col-12">
                <Select
                  label="Type de question"
                  nativeSelectProps={{ value: q.kind, onChange: (e) => setQuestion(i, { kind: e.target.value }) }}
                >
                  <option value="single">Choix unique</option>
                  <option value="multiple">Choix multiple</option>
                  <option value="truefalse">Vrai / faux</option>
                  <option value="short">Réponse courte</option>
                </Select>
                <Input
                  label={`Énoncé de la question ${i + 1}`}
                  nativeInputProps={{ value: q.prompt, onChange: (e) => setQuestion(i, { prompt: e.target.value }) }}
                />
                {(q.kind === 'single' || q.kind === 'multiple') && (
                  <Input
                    label={`Choix de la question ${i + 1} (un par ligne)`}
                    textArea
                    nativeTextAreaProps={{
                      value: q.choices,
                      onChange: (e) => setQuestion(i, { choices: e.target.value }),
                    }}
                  />
                )}
                {q.kind !== 'short' && (
                  <Input
                    label={`Bonne(s) réponse(s) de la question ${i + 1}`}
                    hintText={
                      q.kind === 'truefalse'
                        ? '1 = vrai, 2 = faux'
                        : 'Numéro(s) des bons choix, séparés par des virgules'
                    }
                    nativeInputProps={{
                      value: q.correct,
                      onChange: (e) => setQuestion(i, { correct: e.target.value }),
                    }}
                  />
                )}
                {q.kind === 'short' && (
                  <Input
                    label={`Réponses acceptées à la question ${i + 1} (une par ligne)`}
                    textArea
                    nativeTextAreaProps={{
                      value: q.accepted,
                      onChange: (e) => setQuestion(i, { accepted: e.target.value }),
                    }}
                  />
                )}
                <Input
                  label="Commentaire si juste"
                  nativeInputProps={{
                    value: q.feedbackRight,
                    onChange: (e) => setQuestion(i, { feedbackRight: e.target.value }),
                  }}
                />
                <Input
                  label="Commentaire si faux"
                  nativeInputProps={{
                    value: q.feedbackWrong,
                    onChange: (e) => setQuestion(i, { feedbackWrong: e.target.value }),
                  }}
                />
              </div>
            </fieldset>
          ))}
          <Button
            type="button"
            priority="tertiary"
            iconId="fr-icon-add-line"
            onClick={() => setQuestions([...questions, { ...EMPTY_QUESTION }])}
          >
            Ajouter une question
          </Button>
        </>
      )}
      <div className="fr-mt-3w">
        <Button type="submit">Ajouter l’activité</Button>
      </div>
    </form>
  );
}
