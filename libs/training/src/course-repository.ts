import type { Query, Store } from '@ent-observatory/store';
import { TRAINING_IRI } from '@ent-observatory/xapi';
import type { CourseStructure } from './course-structure.js';
import type { PackageFile } from './course-package.js';

/** The IRI base of every activity id the training space generates (courses, blocks, AUs). */
export const LMS_IRI = TRAINING_IRI;

export function lmsIdsFor(courseId: string) {
  const base = `${LMS_IRI}/courses/${encodeURIComponent(courseId)}`;
  return {
    course: base,
    block: (n: number | string) => `${base}/blocks/${n}`,
    au: (n: number | string) => `${base}/aus/${n}`,
  };
}

export type CourseMode = 'accompagne' | 'autoformation';
export type CourseOrigin = 'national' | 'academie';

/** What describes a parcours in the catalogue (the M@gistère model), beside its course structure. */
export interface CourseMeta {
  title: string;
  description: string;
  objectives: string;
  audience: string;
  hoursRemote: number;
  hoursOnsite: number;
  mode: CourseMode;
  origin: CourseOrigin;
  originAcademie: string;
  published: boolean;
}

export interface Course extends CourseMeta {
  id: string;
  kind: 'native' | 'imported';
  structure: CourseStructure;
  createdBy: string | null;
  updatedAt: Date;
}

interface CourseRow {
  id: string;
  kind: 'native' | 'imported';
  title: string;
  description: string;
  objectives: string;
  audience: string;
  hours_remote: string | number;
  hours_onsite: string | number;
  mode: CourseMode;
  origin: CourseOrigin;
  origin_academie: string;
  published: boolean;
  structure: CourseStructure | string;
  created_by: string | null;
  updated_at: Date | string;
}

const COLUMNS = `id, kind, title, description, objectives, audience, hours_remote, hours_onsite, mode, origin,
  origin_academie, published, structure, created_by, updated_at`;

function toCourse(r: CourseRow): Course {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    description: r.description,
    objectives: r.objectives,
    audience: r.audience,
    hoursRemote: Number(r.hours_remote),
    hoursOnsite: Number(r.hours_onsite),
    mode: r.mode,
    origin: r.origin,
    originAcademie: r.origin_academie,
    published: r.published,
    structure: typeof r.structure === 'string' ? (JSON.parse(r.structure) as CourseStructure) : r.structure,
    createdBy: r.created_by,
    updatedAt: new Date(r.updated_at),
  };
}

export interface NewCourse extends CourseMeta {
  id: string;
  kind: 'native' | 'imported';
  structure: CourseStructure;
  xml: string;
  createdBy: string | null;
  files: PackageFile[];
}

/**
 * Parcours and their package files. Structures are read on every AU request: they are kept in memory per course
 * and version (updated_at), so a statement costs no structure read; a change elsewhere is seen at the next read of
 * the row, which the callers do anyway.
 */
export class CourseRepository {
  private readonly cache = new Map<string, Course>();

  constructor(private readonly store: Store) {}

  /** Inserts a parcours and its files in one transaction: a failure leaves nothing behind. */
  async insert(c: NewCourse): Promise<void> {
    await this.store.transaction(async (q) => {
      await q(
        `INSERT INTO training_courses (id, kind, publisher_id, lms_activity_id, title, description, objectives, audience,
           hours_remote, hours_onsite, mode, origin, origin_academie, published, structure, structure_xml, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [
          c.id,
          c.kind,
          c.structure.course.publisherId,
          c.structure.course.lmsId,
          c.title,
          c.description,
          c.objectives,
          c.audience,
          c.hoursRemote,
          c.hoursOnsite,
          c.mode,
          c.origin,
          c.originAcademie,
          c.published,
          JSON.stringify(c.structure),
          c.xml,
          c.createdBy,
        ],
      );
      await insertFiles(q, c.id, c.files);
    });
  }

  async update(id: string, meta: CourseMeta, structure?: CourseStructure): Promise<void> {
    const params: unknown[] = [
      id,
      meta.title,
      meta.description,
      meta.objectives,
      meta.audience,
      meta.hoursRemote,
      meta.hoursOnsite,
      meta.mode,
      meta.origin,
      meta.originAcademie,
      meta.published,
    ];
    let set = '';
    if (structure) {
      params.push(JSON.stringify(structure));
      set = `, structure = $${params.length}`;
    }
    await this.store.query(
      `UPDATE training_courses SET title = $2, description = $3, objectives = $4, audience = $5, hours_remote = $6,
         hours_onsite = $7, mode = $8, origin = $9, origin_academie = $10, published = $11${set}, updated_at = now()
       WHERE id = $1`,
      params,
    );
    this.cache.delete(id);
  }

  async find(id: string): Promise<Course | undefined> {
    const [row] = await this.store.query<CourseRow>(`SELECT ${COLUMNS} FROM training_courses WHERE id = $1`, [id]);
    if (!row) return undefined;
    const cached = this.cache.get(id);
    if (cached && cached.updatedAt.getTime() === new Date(row.updated_at).getTime()) return cached;
    const course = toCourse(row);
    this.cache.set(id, course);
    return course;
  }

  /** A parcours as last read (no query) or read now: for the statement path, where a structure is per course. */
  async cached(id: string): Promise<Course | undefined> {
    return this.cache.get(id) ?? this.find(id);
  }

  async list(filter: { publishedOnly: boolean }): Promise<Course[]> {
    const rows = await this.store.query<CourseRow>(
      `SELECT ${COLUMNS} FROM training_courses ${filter.publishedOnly ? 'WHERE published' : ''} ORDER BY title`,
    );
    return rows.map(toCourse);
  }

  async file(courseId: string, path: string): Promise<{ contentType: string; content: Buffer } | undefined> {
    const [row] = await this.store.query<{ content_type: string; content: Uint8Array }>(
      'SELECT content_type, content FROM training_package_files WHERE course_id = $1 AND path = $2',
      [courseId, path],
    );
    return row && { contentType: row.content_type, content: Buffer.from(row.content) };
  }

  async delete(id: string): Promise<void> {
    await this.store.query('DELETE FROM training_courses WHERE id = $1', [id]);
    this.cache.delete(id);
  }
}

/** Files go in slices: one INSERT per file would cost a round trip each on packages of thousands of files. */
async function insertFiles(q: Query, courseId: string, files: PackageFile[]): Promise<void> {
  const SLICE = 50;
  for (let i = 0; i < files.length; i += SLICE) {
    const slice = files.slice(i, i + SLICE);
    const values = slice.map((_, j) => `($1, $${j * 3 + 2}, $${j * 3 + 3}, $${j * 3 + 4})`).join(', ');
    await q(`INSERT INTO training_package_files (course_id, path, content_type, content) VALUES ${values}`, [
      courseId,
      ...slice.flatMap((f) => [f.path, f.contentType, f.content]),
    ]);
  }
}
