export * from './model.js';
export { ALERT_LABELS, DEFAULT_THRESHOLDS, evaluateAlerts, parisDay, type AlertThresholds } from './alerts.js';
export { acknowledgeAlert, classFollowUp, pupilFollowUp, type FollowUpDeps } from './follow-up.js';
export {
  classInfo,
  classPupils,
  classesById,
  classesOfEstablishment,
  pupilPseudonym,
  pupilRecord,
  pupilsById,
} from './roster.js';
export { LSU_NAMESPACE, LSU_SCHEMA_VERSION, lsuBilansCycle, type LsuExport } from './lsu.js';
