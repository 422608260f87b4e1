// The nine dashboard views on the chdb side: the very service methods the GraphQL resolvers call
// (apps/api/src/observatory: ObservatoryService.overview, ObservatoryViewsService.*View), built outside Nest on the
// bench's stores, for a national user, K_ANONYMITY 5. The view cache is bypassed the way new data bypasses it:
// the data generation is bumped before every call, so each call computes.
import 'reflect-metadata';
import { ScopeService } from '../apps/api/dist/auth/scope.service.js';
import { bumpDataGeneration } from '../apps/api/dist/common/data-generation.js';
import { ObservatoryPlaces } from '../apps/api/dist/observatory/observatory-places.js';
import { ObservatoryViewsService } from '../apps/api/dist/observatory/observatory-views.service.js';
import { ObservatoryService } from '../apps/api/dist/observatory/observatory.service.js';
import { VisitRollupsService } from '../apps/api/dist/observatory/visit-rollups.service.js';

const NATIONAL = {
  userId: 'bench',
  email: 'bench@example.fr',
  displayName: 'Bench',
  roles: [{ role: 'national', scope: '' }],
};

export async function observatoryViews(warehouse, store) {
  const places = new ObservatoryPlaces(store);
  const service = new ObservatoryService(
    warehouse,
    { K_ANONYMITY: 5 },
    new ScopeService(store),
    places,
    new VisitRollupsService(warehouse, { ROLLUP_WAIT_MS: 2000 }),
  );
  const views = new ObservatoryViewsService(service);
  const fresh = (run) => (filter) => {
    bumpDataGeneration();
    return run(filter);
  };
  return {
    overview: fresh((f) => service.overview(NATIONAL, f, 'week')),
    territory: fresh((f) => views.territoryView(NATIONAL, f)),
    establishment: fresh((f) => views.establishmentView(NATIONAL, f)),
    services: fresh((f) => views.servicesView(NATIONAL, f)),
    devices: fresh((f) => views.devicesView(NATIONAL, f)),
    equity: fresh((f) => views.equityView(NATIONAL, f)),
    continuity: fresh((f) => views.continuityView(NATIONAL, f)),
    collaboration: fresh((f) => views.collaborationView(NATIONAL, f)),
    parents: fresh((f) => views.parentsView(NATIONAL, f)),
  };
}
