-- Teachers' follow-up of their pupils (docs/follow-up-api.md).
--
-- The roster says who a pupil is: their name (display_name, shown only to their teachers, their head of school,
-- their parents and themself; never sent to ClickHouse) and their ENT identity, from which the follow-up computes
-- their pseudonym with the enrichment key (person_id: the profile's `person` extension, the same across platforms
-- and school years; else ent_account: "<homePage>|<account name>"). Empty for teachers.
ALTER TABLE class_members ADD COLUMN IF NOT EXISTS display_name text NOT NULL DEFAULT '';
ALTER TABLE class_members ADD COLUMN IF NOT EXISTS person_id text NOT NULL DEFAULT '';
ALTER TABLE class_members ADD COLUMN IF NOT EXISTS ent_account text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS class_members_member ON class_members (member_id);

-- Two roles: parent (scope: the roster member id of one child; one row per child) and pupil (scope: their own
-- roster member id).
ALTER TABLE user_roles DROP CONSTRAINT IF EXISTS user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check
    CHECK (role IN ('national', 'academy', 'establishment', 'teacher', 'trainer', 'learner', 'admin', 'parent', 'pupil'));

-- An alert a teacher has seen and dealt with: the pupil, the rule, the day the alert started, and their note. An
-- alert that ends and comes back later starts another day, so it is shown again.
CREATE TABLE IF NOT EXISTS follow_up_alert_acks (
    pupil_id text NOT NULL,
    code text NOT NULL,
    since date NOT NULL,
    note text NOT NULL DEFAULT '',
    acknowledged_by uuid REFERENCES users (id) ON DELETE SET NULL,
    acknowledged_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pupil_id, code, since)
);

-- An establishment's thresholds for the alert rules (the defaults of libs/follow-up alerts.ts otherwise).
CREATE TABLE IF NOT EXISTS follow_up_alert_settings (
    uai text NOT NULL,
    code text NOT NULL,
    threshold double precision NOT NULL,
    PRIMARY KEY (uai, code)
);
