import { Alert } from '@codegouvfr/react-dsfr/Alert';

/**
 * What a page shows instead of itself (not found, out of scope): a level-1 heading, as every page has one (RGAA
 * 9.1), and the explanation as a DSFR alert.
 */
export function StatusPage(props: {
  title: string;
  description: string;
  severity: 'info' | 'success' | 'warning' | 'error';
}) {
  return (
    <>
      <h1>{props.title}</h1>
      <Alert severity={props.severity} small description={props.description} />
    </>
  );
}
