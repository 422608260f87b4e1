export { Simulation, type SimulationOptions, type SimulatedDay } from './simulate.js';
export {
  readWorld,
  sampleWorld,
  type SampleOptions,
  type World,
  type WorldEstablishment,
  type WorldPlatform,
} from './world.js';
export {
  measureShares,
  effectiveSampleSize,
  shareTolerance,
  serviceRanking,
  smartphoneShare,
  formatReport,
  emptyStats,
  type SimulationStats,
  type ShareCheck,
} from './stats.js';
export { DNMA_TARGETS } from './targets.js';
export { Rng, AliasTable } from './prng.js';
export { NdjsonFileSink } from './file-sink.js';
export { StringLineSink, type LineSink } from './statements.js';
export { displayName } from './roster.js';
