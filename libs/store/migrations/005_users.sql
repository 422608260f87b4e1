-- People who sign in to the observatory and the training space. Passwords are kept only as scrypt hashes; an
-- account without a password (password_hash NULL) can only sign in through an external identity provider later.
CREATE TABLE IF NOT EXISTS users (
    id uuid PRIMARY KEY,
    email text NOT NULL UNIQUE CHECK (email = lower(email)),
    display_name text NOT NULL,
    password_hash text,
    enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- What each user may see: one row per role and scope. The scope's meaning depends on the role: an académie code
-- (academy), a UAI (establishment), a class or group id (teacher), a course id (trainer), '' for national, learner
-- and admin, which need none.
CREATE TABLE IF NOT EXISTS user_roles (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('national', 'academy', 'establishment', 'teacher', 'trainer', 'learner', 'admin')),
    scope text NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, role, scope)
);

-- Signed-in sessions. Only a SHA-256 of the cookie's random token is stored, so a copy of this table signs nobody in.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);

-- The seam for ENT single sign-on (OIDC, CAS): an identity asserted by a provider, linked to one user.
CREATE TABLE IF NOT EXISTS user_identities (
    provider text NOT NULL,
    subject text NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (provider, subject)
);
