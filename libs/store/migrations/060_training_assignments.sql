-- Teachers → pupils (docs/training-api.md, "Assignments to a class"): a training session with a class_id is a
-- teacher's assignment of a parcours, or of one of its activities (au_index, the AU's position), to their class,
-- due at due_at, in a subject (a code of the ENT profile's subject list). The LMS records it as homework
-- ("assigned"), and each pupil's hand-in ("submitted", "scored") once their work is satisfied.
ALTER TABLE training_sessions ADD COLUMN IF NOT EXISTS au_index integer;
ALTER TABLE training_sessions ADD COLUMN IF NOT EXISTS subject text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS training_sessions_class ON training_sessions (class_id) WHERE class_id IS NOT NULL;

-- When a pupil's assigned work was handed in (the LMS wrote "submitted" then, once) and the score it reported.
ALTER TABLE training_enrolments ADD COLUMN IF NOT EXISTS handed_in_at timestamptz;
ALTER TABLE training_enrolments ADD COLUMN IF NOT EXISTS score_scaled double precision;
