import { randomBytes } from 'node:crypto';
import type { Store } from '@ent-observatory/store';
import PDFDocument from 'pdfkit';
import { TrainingErrorCode, TrainingException } from './training.exception.js';

export interface Attestation {
  code: string;
  learnerName: string;
  courseTitle: string;
  sessionName: string;
  hours: number;
  startedOn: string | null;
  completedOn: string;
  issuedAt: string;
}

/** Letters and digits that cannot be misread (no 0/O, 1/I/L): the code is typed from paper. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function newVerificationCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

const COLUMNS = `code, learner_name AS "learnerName", course_title AS "courseTitle", session_name AS "sessionName",
  hours::float AS hours, started_on::text AS "startedOn", completed_on::text AS "completedOn",
  to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "issuedAt"`;

/** Attestations of hours: issued once a registration is satisfied, checked by anyone with their code. */
export class Attestations {
  constructor(private readonly store: Store) {}

  /** The attestation of a learner's session, issued now if the parcours is completed and none exists yet. */
  async issue(sessionId: string, userId: string): Promise<Attestation> {
    const [row] = await this.store.query<{
      registration: string;
      satisfied_at: string | null;
      learner_name: string;
      course_title: string;
      session_name: string;
      hours: number;
      started_on: string | null;
    }>(
      `SELECT e.registration, r.satisfied_at::text AS satisfied_at, u.display_name AS learner_name, c.title AS course_title,
         s.name AS session_name, (c.hours_remote + c.hours_onsite)::float AS hours,
         (SELECT min(first_launch_at)::date::text FROM training_registration_aus a WHERE a.registration = e.registration) AS started_on
       FROM training_enrolments e JOIN training_sessions s ON s.id = e.session_id
       JOIN training_courses c ON c.id = s.course_id JOIN training_registrations r ON r.id = e.registration
       JOIN users u ON u.id = e.user_id WHERE e.session_id::text = $1 AND e.user_id::text = $2`,
      [sessionId, userId],
    );
    if (!row) throw new TrainingException(TrainingErrorCode.Forbidden, `you are not enrolled in session ${sessionId}`);
    if (!row.satisfied_at) {
      throw new TrainingException(
        TrainingErrorCode.Conflict,
        "le parcours n'est pas encore terminé : l'attestation sera disponible à la fin",
      );
    }
    await this.store.query(
      `INSERT INTO training_attestations (code, registration, learner_name, course_title, session_name, hours, started_on, completed_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz::date) ON CONFLICT (registration) DO NOTHING`,
      [
        newVerificationCode(),
        row.registration,
        row.learner_name,
        row.course_title,
        row.session_name,
        row.hours,
        row.started_on,
        row.satisfied_at,
      ],
    );
    const [issued] = await this.store.query<Attestation>(
      `SELECT ${COLUMNS} FROM training_attestations WHERE registration = $1`,
      [row.registration],
    );
    return issued!;
  }

  /** The attestation with this code (any case, dashes optional), or undefined. */
  async verify(code: string): Promise<Attestation | undefined> {
    const clean = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
    if (clean.length !== 12) return undefined;
    const formatted = `${clean.slice(0, 4)}-${clean.slice(4, 8)}-${clean.slice(8)}`;
    const [row] = await this.store.query<Attestation>(`SELECT ${COLUMNS} FROM training_attestations WHERE code = $1`, [
      formatted,
    ]);
    return row;
  }
}

const frDate = (iso: string | null) =>
  iso
    ? new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(
        new Date(`${iso}T12:00:00Z`),
      )
    : '';

const frHours = (h: number) => `${String(h).replace('.', ',')} heure${h >= 2 ? 's' : ''}`;

/** The attestation as a one-page A4 PDF, in French, with its verification code and where to check it. */
export function attestationPdf(a: Attestation, verifyUrl: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 60,
    info: { Title: `Attestation de formation - ${a.courseTitle}`, Author: 'Espace de formation à distance' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const blue = '#000091';
  doc.rect(0, 0, doc.page.width, 12).fill(blue);
  doc.fillColor('#000').font('Helvetica-Bold').fontSize(11).text('RÉPUBLIQUE FRANÇAISE', 60, 50);
  doc.font('Helvetica').fontSize(9).text('Liberté, Égalité, Fraternité');
  doc.moveDown(0.5).fontSize(10).text('Espace de formation à distance de l’observatoire des ENT');
  doc
    .moveDown(3)
    .font('Helvetica-Bold')
    .fontSize(24)
    .fillColor(blue)
    .text('Attestation de formation', { align: 'center' });
  doc.moveDown(2).fillColor('#000').font('Helvetica').fontSize(12);
  doc.text('Il est attesté que', { align: 'center' });
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(16).text(a.learnerName, { align: 'center' });
  doc
    .moveDown(0.5)
    .font('Helvetica')
    .fontSize(12)
    .text('a suivi et terminé le parcours de formation', { align: 'center' });
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(14).text(`« ${a.courseTitle} »`, { align: 'center' });
  doc.moveDown(0.5).font('Helvetica').fontSize(12).text(`session « ${a.sessionName} »`, { align: 'center' });
  doc.moveDown(2);
  const period =
    a.startedOn && a.startedOn !== a.completedOn
      ? `du ${frDate(a.startedOn)} au ${frDate(a.completedOn)}`
      : `le ${frDate(a.completedOn)}`;
  doc.text(`Formation suivie ${period}.`);
  doc.moveDown(0.5).text(`Durée de formation attestée : ${frHours(a.hours)}.`);
  doc.moveDown(0.5).text(`Délivrée le ${frDate(a.issuedAt.slice(0, 10))}.`);
  doc.moveDown(3).font('Helvetica-Bold').text(`Code de vérification : ${a.code}`);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`Vérifiez l'authenticité de cette attestation sur ${verifyUrl}`, { link: verifyUrl, underline: true });
  doc.end();
  return done;
}
