import { Inject, Injectable } from '@nestjs/common';
import { type SchoolCalendar, loadSchoolCalendar } from '@ent-observatory/directory';
import {
  type AlertCode,
  type ClassFollowUp,
  type ClassInfo,
  type FollowUpDeps,
  type LsuExport,
  type PupilFollowUp,
  type RosterPupil,
  acknowledgeAlert,
  classFollowUp,
  classInfo,
  classesById,
  classesOfEstablishment,
  lsuBilansCycle,
  pupilFollowUp,
  pupilRecord,
  pupilsById,
} from '@ent-observatory/follow-up';
import type { Store } from '@ent-observatory/store';
import type { Warehouse } from '@ent-observatory/warehouse';
import type { PseudonymKey } from '@ent-observatory/xapi';
import type { Principal } from '../auth/access.js';
import { ApiErrorCode, ApiException } from '../common/api-error.js';
import { STORE, WAREHOUSE } from '../common/tokens.js';
import { PSEUDONYM_KEY } from '../enrichment/enrichment.service.js';

/** What a threshold may be, per rule: school days, a share, hand-ins, points /20. */
const THRESHOLD_RANGES: Record<AlertCode, [number, number]> = {
  inactivity: [1, 60],
  'missing-homework': [0.05, 1],
  'late-homework': [1, 30],
  'falling-scores': [0.5, 20],
};

/** Longest period a page covers: a school year and a bit (a page over years is a scan, not a use). */
const MAX_PERIOD_DAYS = 400;

/**
 * The teachers' follow-up (docs/follow-up-api.md). Every read is scoped here, after AccessGuard checked the role:
 * a teacher sees the classes and groups they are granted and their pupils; a head of school the classes of their
 * establishment; a parent their children (one grant per child); a pupil themself. Nobody else, admins included:
 * national and académie users never see a name or a single pupil. Unknown classes and pupils are NOT_FOUND,
 * known ones out of scope FORBIDDEN.
 */
@Injectable()
export class FollowUpService {
  private calendar: SchoolCalendar | undefined;

  constructor(
    @Inject(STORE) private readonly store: Store,
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(PSEUDONYM_KEY) private readonly key: PseudonymKey,
  ) {}

  async home(p: Principal): Promise<{ classes: ClassInfo[]; pupils: RosterPupil[]; schoolYearStart: string }> {
    const year = this.deps().calendar.schoolYearOf(new Date());
    const taught = await classesById(this.store, grants(p, 'teacher'));
    const headed = (
      await Promise.all(grants(p, 'establishment').map((uai) => classesOfEstablishment(this.store, uai, year)))
    ).flat();
    const pupils = await pupilsById(this.store, this.key, [...grants(p, 'parent'), ...grants(p, 'pupil')]);
    const seen = new Set<string>();
    const classes = [...taught, ...headed].filter((c) => !seen.has(c.id) && seen.add(c.id));
    return { classes, pupils, schoolYearStart: `${year.slice(0, 4)}-08-01` };
  }

  async classFollowUp(p: Principal, classId: string, from: string, to: string): Promise<ClassFollowUp> {
    const period = checkPeriod(from, to);
    const cls = await classInfo(this.store, classId);
    if (!cls) throw new ApiException(ApiErrorCode.NotFound, `classId: no class or group "${classId}" in the roster`);
    if (!grants(p, 'teacher').includes(cls.id) && !grants(p, 'establishment').includes(cls.uai)) {
      throw new ApiException(ApiErrorCode.Forbidden, `classId: "${classId}" is not one of your classes`);
    }
    return classFollowUp(this.deps(), cls, period);
  }

  /** The class's socle positionings as an LSU import file (the class page's checks first). */
  async classLsuExport(p: Principal, classId: string, from: string, to: string): Promise<LsuExport> {
    const page = await this.classFollowUp(p, classId, from, to);
    return lsuBilansCycle(page, {
      createdOn: to,
      headName: `Chef d'établissement, ${page.class.establishmentName}`,
    });
  }

  async pupilFollowUp(p: Principal, pupilId: string, from: string, to: string): Promise<PupilFollowUp> {
    const period = checkPeriod(from, to);
    const record = await pupilRecord(this.store, this.key, pupilId);
    if (!record) throw new ApiException(ApiErrorCode.NotFound, `pupilId: no pupil "${pupilId}" in the roster`);
    if (!this.seesPupil(p, pupilId, record.classes)) {
      throw new ApiException(ApiErrorCode.Forbidden, `pupilId: "${pupilId}" is not one of your pupils`);
    }
    return pupilFollowUp(this.deps(), record.pupil, record.classes, period);
  }

  async acknowledge(p: Principal, pupilId: string, code: AlertCode, since: string, note: string): Promise<boolean> {
    const record = await pupilRecord(this.store, this.key, pupilId);
    if (!record) throw new ApiException(ApiErrorCode.NotFound, `pupilId: no pupil "${pupilId}" in the roster`);
    // Teachers and heads of school deal with alerts; parents and pupils see them.
    if (
      !this.seesPupil(
        { ...p, roles: p.roles.filter((g) => g.role !== 'parent' && g.role !== 'pupil') },
        pupilId,
        record.classes,
      )
    ) {
      throw new ApiException(ApiErrorCode.Forbidden, `pupilId: "${pupilId}" is not one of your pupils`);
    }
    await acknowledgeAlert(this.store, { pupilId, code, since, note, userId: p.userId });
    return true;
  }

  /** A head of school's threshold of an alert rule for their establishment (docs/follow-up-api.md, "Alerts"). */
  async setThreshold(p: Principal, uai: string, code: AlertCode, threshold: number): Promise<boolean> {
    if (!grants(p, 'establishment').includes(uai)) {
      throw new ApiException(ApiErrorCode.Forbidden, `uai: ${uai} is not your establishment`);
    }
    const [min, max] = THRESHOLD_RANGES[code];
    if (!(threshold >= min && threshold <= max)) {
      throw new ApiException(
        ApiErrorCode.BadUserInput,
        `threshold: for ${code}, expected ${min} to ${max}, got ${threshold}`,
      );
    }
    await this.store.query(
      `INSERT INTO follow_up_alert_settings (uai, code, threshold) VALUES ($1, $2, $3)
       ON CONFLICT (uai, code) DO UPDATE SET threshold = EXCLUDED.threshold`,
      [uai, code, threshold],
    );
    return true;
  }

  private seesPupil(p: Principal, pupilId: string, classes: ClassInfo[]): boolean {
    if (grants(p, 'parent').includes(pupilId) || grants(p, 'pupil').includes(pupilId)) return true;
    const taught = grants(p, 'teacher');
    const headed = grants(p, 'establishment');
    return classes.some((c) => taught.includes(c.id) || headed.includes(c.uai));
  }

  private deps(): FollowUpDeps {
    this.calendar ??= loadSchoolCalendar();
    return { store: this.store, warehouse: this.warehouse, key: this.key, calendar: this.calendar, now: Date.now };
  }
}

function grants(p: Principal, role: Principal['roles'][number]['role']): string[] {
  return p.roles.filter((g) => g.role === role).map((g) => g.scope);
}

function checkPeriod(from: string, to: string): { from: string; to: string } {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days < 0) throw new ApiException(ApiErrorCode.BadUserInput, `from: ${from} is after to: ${to}`);
  if (days > MAX_PERIOD_DAYS) {
    throw new ApiException(ApiErrorCode.BadUserInput, `to: at most ${MAX_PERIOD_DAYS} days after from`);
  }
  return { from, to };
}
