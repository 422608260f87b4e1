/** The CSRF token of the current session, sent with every GraphQL request (see the API's SessionService). */
let csrfToken = '';
let onSignedOut: () => void = () => undefined;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the API says the session is gone (expired, signed out elsewhere, account disabled). */
export function setSignedOutHandler(handler: () => void): void {
  onSignedOut = handler;
}

/** fetch() to our API with the session's CSRF token: for the few non-GraphQL calls (file uploads). */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('X-CSRF-Token', csrfToken);
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401) onSignedOut();
  return res;
}

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** One GraphQL round trip; a GraphQL error becomes an Error whose message can be shown to the user. */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  const code = body.errors?.[0]?.extensions?.code;
  if (code === 'UNAUTHENTICATED' || code === 'CSRF') onSignedOut();
  if (body.errors?.length) throw new GraphQLRequestError(frenchMessage(code, body.errors), code);
  if (!res.ok || !body.data) throw new GraphQLRequestError(`Le serveur a répondu ${res.status}`, undefined);
  return body.data;
}

function frenchMessage(code: string | undefined, errors: { message: string }[]): string {
  switch (code) {
    case 'FORBIDDEN':
      return 'Ces données sont hors de votre périmètre : votre compte ne permet pas de les consulter.';
    case 'UNAUTHENTICATED':
    case 'CSRF':
      return 'Votre session a expiré : reconnectez-vous.';
    case 'TOO_MANY_REQUESTS':
      return 'Trop de vues sont en cours de calcul pour votre compte : réessayez dans quelques instants.';
    case 'QUERY_TOO_COMPLEX':
      return 'Cette demande est trop lourde pour être calculée en une fois : raccourcissez la période ou demandez moins d’indicateurs.';
    case 'INTERNAL_SERVER_ERROR':
      return `Le serveur n’a pas pu répondre. Si le problème persiste, transmettez cette référence à l’équipe technique : ${/reference ([0-9a-f-]{36})/.exec(errors[0]?.message ?? '')?.[1] ?? 'inconnue'}.`;
    default:
      return errors.map((e) => e.message).join(' ; ');
  }
}
