-- Sign-in throttling without lock-out (docs/security.md, "Sign-in"). Failed attempts are counted per key — an
-- account from one client, an account from every unknown client, one client address — and each attempt beyond a
-- key's free ones must wait twice as long as the previous one, up to a cap: slowed down, never locked. Keys are
-- SHA-256 hashes: no email or address is kept here. Shared by every API process, so the limits hold behind several.
CREATE TABLE IF NOT EXISTS sign_in_throttle (
    key_hash text PRIMARY KEY,
    failures integer NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Browsers that signed in to an account before (an httpOnly cookie holding a random token; only its SHA-256 is
-- kept): attempts from a known browser are counted on their own, so nobody else's failures slow its owner down.
CREATE TABLE IF NOT EXISTS sign_in_devices (
    token_hash text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sign_in_devices_user ON sign_in_devices (user_id, last_used_at);
