-- The distance-training space (libs/training): parcours as cmi5 courses, their AUs, registrations, cmi5 launch
-- sessions, training sessions (cohorts) with staff and enrolments, and what trainers and learners produce around
-- them (reminders, discussions, hand-ins, attestations). Times are UTC (timestamptz).

-- A parcours: a cmi5 course, imported from a package or built in the training space ("native").
CREATE TABLE training_courses (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('native', 'imported')),
  -- The course id of the course structure (its publisher id, §13.1.1).
  publisher_id text NOT NULL,
  -- The course object of "satisfied" statements: generated, never the publisher id (§9.4).
  lms_activity_id text NOT NULL UNIQUE,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  objectives text NOT NULL DEFAULT '',
  audience text NOT NULL DEFAULT '',
  hours_remote numeric(6, 2) NOT NULL DEFAULT 0,
  hours_onsite numeric(6, 2) NOT NULL DEFAULT 0,
  mode text NOT NULL DEFAULT 'autoformation' CHECK (mode IN ('accompagne', 'autoformation')),
  origin text NOT NULL DEFAULT 'national' CHECK (origin IN ('national', 'academie')),
  origin_academie text NOT NULL DEFAULT '',
  published boolean NOT NULL DEFAULT false,
  -- The course structure as imported or built: blocks and AUs in document order, with generated LMS ids.
  structure jsonb NOT NULL,
  -- The cmi5.xml text as imported (native parcours: generated), for export and audit.
  structure_xml text NOT NULL DEFAULT '',
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The files of an imported zip package, served under /formation/contenus/<course>/<path>. In PostgreSQL so that
-- an import is one transaction: a refused package leaves nothing behind.
CREATE TABLE training_package_files (
  course_id text NOT NULL REFERENCES training_courses (id) ON DELETE CASCADE,
  path text NOT NULL,
  content_type text NOT NULL,
  content bytea NOT NULL,
  PRIMARY KEY (course_id, path)
);

-- A cmi5 registration: one learner (actor) enrolled in one course (§3, §9.6.1).
CREATE TABLE training_registrations (
  id uuid PRIMARY KEY,
  course_id text NOT NULL REFERENCES training_courses (id) ON DELETE CASCADE,
  actor jsonb NOT NULL,
  -- The actor's identifier as the LRS normalises it (libs/xapi actorIfi): how sessions match statements.
  actor_ifi text NOT NULL,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  satisfied_at timestamptz,
  -- Satisfied blocks by LMS block id: "satisfied" is written once per block and registration (§9.3.9).
  satisfied_blocks text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_registrations_user ON training_registrations (user_id);
CREATE INDEX training_registrations_actor ON training_registrations (course_id, actor_ifi);

-- Per registration and AU: what moveOn needs (§10.2.5) and what the trainer's grid shows.
CREATE TABLE training_registration_aus (
  registration uuid NOT NULL REFERENCES training_registrations (id) ON DELETE CASCADE,
  au_index integer NOT NULL,
  completed boolean NOT NULL DEFAULT false,
  passed boolean NOT NULL DEFAULT false,
  failed boolean NOT NULL DEFAULT false,
  waived boolean NOT NULL DEFAULT false,
  waive_reason text,
  satisfied boolean NOT NULL DEFAULT false,
  score_scaled double precision,
  progress integer,
  launches integer NOT NULL DEFAULT 0,
  duration_ms bigint NOT NULL DEFAULT 0,
  first_launch_at timestamptz,
  last_activity_at timestamptz,
  PRIMARY KEY (registration, au_index)
);

-- One AU launch session (§3 "Session"): its fetch token, auth token, launch data and what the AU said so far.
CREATE TABLE training_launch_sessions (
  id uuid PRIMARY KEY,
  registration uuid NOT NULL REFERENCES training_registrations (id) ON DELETE CASCADE,
  au_index integer NOT NULL,
  launch_mode text NOT NULL CHECK (launch_mode IN ('Normal', 'Browse', 'Review')),
  -- SHA-256 of the one-time fetch token and of the auth token: neither is stored in clear.
  fetch_token_hash text NOT NULL UNIQUE,
  auth_token_hash text UNIQUE,
  fetched_at timestamptz,
  launched_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  context_template jsonb NOT NULL,
  mastery_score double precision,
  initialized boolean NOT NULL DEFAULT false,
  terminated_at timestamptz,
  abandoned_at timestamptz,
  completed boolean NOT NULL DEFAULT false,
  passed boolean NOT NULL DEFAULT false,
  failed boolean NOT NULL DEFAULT false,
  last_statement_at timestamptz,
  -- Ids of the statements this session had accepted: a retried POST of the same statement is not a second verb.
  statement_ids uuid[] NOT NULL DEFAULT '{}',
  -- A native quiz graded by the LMS in this session: the score its "passed"/"failed" must report.
  native_result jsonb
);
CREATE INDEX training_launch_sessions_open ON training_launch_sessions (registration, au_index)
  WHERE terminated_at IS NULL AND abandoned_at IS NULL;

-- A training session: a cohort taken through a parcours between two dates, by trainers and tutors. A session
-- can also be a teacher's assignment to a class (class_id UAI:year:name, due date).
CREATE TABLE training_sessions (
  id uuid PRIMARY KEY,
  course_id text NOT NULL REFERENCES training_courses (id) ON DELETE CASCADE,
  name text NOT NULL,
  starts_on date,
  ends_on date,
  self_enrolment boolean NOT NULL DEFAULT false,
  class_id text,
  due_at timestamptz,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_sessions_course ON training_sessions (course_id);

CREATE TABLE training_session_staff (
  session_id uuid NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('trainer', 'tutor')),
  PRIMARY KEY (session_id, user_id)
);
CREATE INDEX training_session_staff_user ON training_session_staff (user_id);

-- A learner in a session, with their cmi5 registration and where they work (for the observatory's figures).
CREATE TABLE training_enrolments (
  session_id uuid NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  registration uuid NOT NULL UNIQUE REFERENCES training_registrations (id) ON DELETE CASCADE,
  enrolled_by text NOT NULL CHECK (enrolled_by IN ('trainer', 'csv', 'self', 'assignment')),
  uai text NOT NULL DEFAULT '',
  academie text NOT NULL DEFAULT '',
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, user_id)
);
CREATE INDEX training_enrolments_user ON training_enrolments (user_id);

-- Reminders to learners: an outbox a mail sender would drain; the training space shows it.
CREATE TABLE training_reminders (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('not_started', 'stalled')),
  subject text NOT NULL,
  body text NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX training_reminders_session ON training_reminders (session_id, created_at);

-- The discussion space of a session: threads and their replies.
CREATE TABLE training_threads (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
  author_id uuid REFERENCES users (id) ON DELETE SET NULL,
  title text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE training_posts (
  id uuid PRIMARY KEY,
  thread_id uuid NOT NULL REFERENCES training_threads (id) ON DELETE CASCADE,
  author_id uuid REFERENCES users (id) ON DELETE SET NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_posts_thread ON training_posts (thread_id, created_at);

-- Files handed in to a « dépôt » activity.
CREATE TABLE training_submissions (
  id uuid PRIMARY KEY,
  registration uuid NOT NULL REFERENCES training_registrations (id) ON DELETE CASCADE,
  au_index integer NOT NULL,
  filename text NOT NULL,
  content_type text NOT NULL,
  content bytea NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_submissions_registration ON training_submissions (registration, au_index);

-- Attestations of hours, checked by their public verification code.
CREATE TABLE training_attestations (
  code text PRIMARY KEY,
  registration uuid NOT NULL UNIQUE REFERENCES training_registrations (id) ON DELETE CASCADE,
  learner_name text NOT NULL,
  course_title text NOT NULL,
  session_name text NOT NULL,
  hours numeric(6, 2) NOT NULL,
  started_on date,
  completed_on date NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now()
);
