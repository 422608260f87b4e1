import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState } from 'react';
import type { AuContent } from './NativeAuPage';
import { Markdown } from './markdown';

type Quiz = Extract<AuContent['activity'], { kind: 'quiz' }>;

export interface QuizGrade {
  scaled: number;
  passed: boolean;
  questions: { id: string; correct: boolean; feedback: string }[];
}

/** A quiz: the learner answers, the LMS grades (answers never reach the page), feedback per question. */
export function QuizView(props: {
  content: AuContent;
  token: string;
  onResult(grade: QuizGrade): Promise<void>;
  onFinish(): void;
  onError(e: Error): void;
}) {
  const quiz = props.content.activity as Quiz;
  const [answers, setAnswers] = useState<Record<string, number[] | string>>({});
  const [grade, setGrade] = useState<QuizGrade | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    const res = await fetch('/formation/api/au/quiz', {
      method: 'POST',
      headers: { Authorization: `Basic ${props.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ answers }),
    });
    if (!res.ok) throw new Error(((await res.json()) as { message: string }).message);
    const g = (await res.json()) as QuizGrade;
    await props.onResult(g);
    setGrade(g);
    setBusy(false);
  };

  const choose = (id: string, i: number, multiple: boolean) =>
    setAnswers((a) => {
      const current = Array.isArray(a[id]) ? a[id] : [];
      const next = multiple ? (current.includes(i) ? current.filter((c) => c !== i) : [...current, i]) : [i];
      return { ...a, [id]: next };
    });

  const mastery = props.content.masteryScore ?? 1;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit().catch((err: Error) => {
          setBusy(false);
          props.onError(err);
        });
      }}
    >
      {quiz.intro && <Markdown text={quiz.intro} />}
      <p className="fr-text--sm">Score de réussite : {Math.round(mastery * 100)} % de bonnes réponses.</p>
      {quiz.questions.map((q, n) => {
        const feedback = grade?.questions.find((g) => g.id === q.id);
        return (
          <fieldset key={q.id} className="fr-fieldset fr-mb-3w" aria-labelledby={`${q.id}-legend`}>
            <legend id={`${q.id}-legend`} className="fr-fieldset__legend">
              Question {n + 1} : {q.prompt}
              {q.kind === 'multiple' && <span className="fr-hint-text">Plusieurs réponses possibles.</span>}
            </legend>
            {q.kind === 'short' ? (
              <Input
                label="Votre réponse"
                disabled={grade !== null}
                nativeInputProps={{
                  value: (answers[q.id] as string) ?? '',
                  onChange: (e) => setAnswers((a) => ({ ...a, [q.id]: e.target.value })),
                }}
              />
            ) : (
              q.choices.map((choice, i) => {
                const id = `${q.id}-${i}`;
                const multiple = q.kind === 'multiple';
                return (
                  <div key={id} className="fr-fieldset__element">
                    <div className={multiple ? 'fr-checkbox-group' : 'fr-radio-group'}>
                      <input
                        type={multiple ? 'checkbox' : 'radio'}
                        id={id}
                        name={q.id}
                        disabled={grade !== null}
                        checked={Array.isArray(answers[q.id]) && (answers[q.id] as number[]).includes(i)}
                        onChange={() => choose(q.id, i, multiple)}
                      />
                      <label className="fr-label" htmlFor={id}>
                        {choice}
                      </label>
                    </div>
                  </div>
                );
              })
            )}
            {feedback && (
              <Alert
                small
                severity={feedback.correct ? 'success' : 'error'}
                description={`${feedback.correct ? 'Bonne réponse.' : 'Réponse inexacte.'} ${feedback.feedback}`.trim()}
              />
            )}
          </fieldset>
        );
      })}
      {grade === null ? (
        <Button type="submit" disabled={busy}>
          Valider mes réponses
        </Button>
      ) : (
        <>
          <Alert
            className="fr-mb-3w"
            severity={grade.passed ? 'success' : 'warning'}
            title={grade.passed ? 'Quiz réussi' : 'Quiz non réussi'}
            description={`Votre score : ${Math.round(grade.scaled * 100)} % (réussite à partir de ${Math.round(mastery * 100)} %).${grade.passed ? '' : ' Vous pourrez le refaire.'}`}
          />
          <Button onClick={props.onFinish}>Terminer et revenir à ma formation</Button>
        </>
      )}
    </form>
  );
}
