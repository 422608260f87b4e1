import type { FastifyRequest } from 'fastify';

/** Training routes whose body is a file (a cmi5 package, a « dépôt » hand-in): read raw, up to TRAINING_MAX_PACKAGE_BYTES. */
const UPLOAD_ROUTES = new Set(['/formation/api/packages', '/formation/api/au/submission']);

export function isTrainingUpload(request: FastifyRequest): boolean {
  return UPLOAD_ROUTES.has(request.routeOptions.url ?? request.url.split('?')[0]!);
}
