-- LRS credentials: what clients put in HTTP Basic auth. The secret is kept only as a scrypt hash; the authority
-- is the xAPI Agent/Group written into every statement the credential stores (Data 2.4.9).
CREATE TABLE IF NOT EXISTS lrs_credentials (
    key text PRIMARY KEY,
    secret_hash text NOT NULL,
    label text NOT NULL DEFAULT '',
    scopes text[] NOT NULL,
    authority jsonb NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
