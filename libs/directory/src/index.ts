export * from './model.js';
export { importDirectory, DATASETS, type ImportOptions } from './import.js';
export { loadDirectorySnapshot, readEstablishmentFacts, type EstablishmentFacts } from './snapshot.js';
export { mirrorDirectory, DIRECTORY_TABLES } from './mirror.js';
export { linkSectorColleges, type SectorMethod } from './sector.js';
export {
  territoryTree,
  type TerritoryCounts,
  type RegionNode,
  type AcademieNode,
  type DepartementNode,
} from './territory-tree.js';
export {
  searchEstablishments,
  searchWords,
  SEARCH_MAX_WORDS,
  SEARCH_MAX_LENGTH,
  establishment,
  type EstablishmentSearch,
  type EstablishmentSummary,
  type EstablishmentDetail,
  type LinkedEstablishment,
} from './establishments.js';
export { classesOf, classMembers, type ClassSummary, type ClassMember } from './classes.js';
export { establishmentType } from './establishment-type.js';
export {
  loadSchoolCalendar,
  schoolCalendarFrom,
  dayNumber,
  isoDay,
  parisOffsetMinutes,
  CalendarRangeError,
  REFERENCE_DIR,
  type SchoolCalendar,
  type HolidayZone,
  type CalendarPopulation,
  type CalendarDate,
  type HolidayPeriod,
} from './calendar.js';
