import type { Scope } from './scope';

/** The observatory's views: their address, title in the navigation, and who may open them. */
export interface ViewInfo {
  slug: string;
  title: string;
  path: string;
  /** Scopes allowed: an establishment has no map of territories nor equity between establishments. */
  scopes: Scope['kind'][];
  /** Whether the imported DNMA open data can feed this view (the API serves it for the overview and territories). */
  dnma: boolean;
}

const ALL: Scope['kind'][] = ['national', 'academie', 'uai'];
const TERRITORIAL: Scope['kind'][] = ['national', 'academie'];

export const OBSERVATORY_VIEWS: ViewInfo[] = [
  { slug: '', title: 'Vue d’ensemble', scopes: ALL, dnma: true },
  { slug: 'territoires', title: 'Territoires', scopes: TERRITORIAL, dnma: true },
  { slug: 'etablissement', title: 'Établissement', scopes: ALL, dnma: false },
  { slug: 'services', title: 'Services', scopes: ALL, dnma: false },
  { slug: 'appareils', title: 'Appareils', scopes: ALL, dnma: false },
  { slug: 'equite', title: 'Équité', scopes: TERRITORIAL, dnma: false },
  { slug: 'continuite', title: 'Continuité', scopes: ALL, dnma: false },
  { slug: 'collaboration', title: 'Collaboration', scopes: ALL, dnma: false },
  { slug: 'parents', title: 'Parents', scopes: ALL, dnma: false },
].map((v) => ({ ...v, path: v.slug ? `/observatoire/${v.slug}` : '/observatoire' }));

export const viewBySlug = (slug: string) => OBSERVATORY_VIEWS.find((v) => v.slug === slug);
