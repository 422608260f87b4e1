import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { apiFetch } from '@ent-observatory/web';
import { type FormEvent, useState } from 'react';

interface FileReport {
  file: string;
  dataset: string;
  rows: number;
  inserted: number;
  updated: number;
  rejected: { line: number; reason: string }[];
  error?: string;
}

const MAX_REJECTED_SHOWN = 20;

/** Uploads open-data or roster CSV files to the directory importer and shows its per-file, per-line report. */
export function ImportPanel() {
  const [files, setFiles] = useState<File[]>([]);
  const [reports, setReports] = useState<FileReport[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const done: FileReport[] = [];
    try {
      for (const file of files) {
        const res = await apiFetch(`/admin/imports?filename=${encodeURIComponent(file.name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/csv' },
          body: file,
        });
        const body = (await res.json()) as FileReport & { message?: string };
        done.push(
          res.ok
            ? body
            : {
                file: file.name,
                dataset: '—',
                rows: 0,
                inserted: 0,
                updated: 0,
                rejected: [],
                error: body.message ?? `erreur ${res.status}`,
              },
        );
        setReports([...done]);
      }
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2>Import de l’annuaire</h2>
      <p>
        Fichiers de data.education.gouv.fr (annuaire de l’éducation, effectifs, carte scolaire), table des territoires,
        plateformes ENT ou listes de classes (CSV). Chaque jeu de données est reconnu à son en-tête ; un nouvel import
        met à jour sans créer de doublon.
      </p>
      {error && <Alert severity="error" title="L’import a échoué" description={error} className="fr-mb-3w" />}
      <form onSubmit={(e) => void submit(e)}>
        <Upload
          label="Fichiers CSV"
          hint="Séparateur ; ou , — UTF-8 — plusieurs fichiers possibles"
          multiple
          nativeInputProps={{
            accept: '.csv,text/csv',
            onChange: (e) => setFiles(Array.from(e.target.files ?? [])),
          }}
        />
        <Button type="submit" disabled={busy || files.length === 0} className="fr-mt-2w">
          {busy ? 'Import en cours…' : 'Importer'}
        </Button>
      </form>
      {reports.length > 0 && (
        <div className="fr-table fr-mt-4w">
          <table>
            <caption>Rapport d’import</caption>
            <thead>
              <tr>
                <th scope="col">Fichier</th>
                <th scope="col">Jeu de données</th>
                <th scope="col">Lignes</th>
                <th scope="col">Ajoutées</th>
                <th scope="col">Mises à jour</th>
                <th scope="col">Rejetées</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.file}>
                  <td>{r.file}</td>
                  <td>{r.error ? `Refusé : ${r.error}` : r.dataset}</td>
                  <td>{r.rows}</td>
                  <td>{r.inserted}</td>
                  <td>{r.updated}</td>
                  <td>
                    {r.rejected.length}
                    {r.rejected.length > 0 && (
                      <ul>
                        {r.rejected.slice(0, MAX_REJECTED_SHOWN).map((x) => (
                          <li key={x.line}>
                            ligne {x.line} : {x.reason}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
