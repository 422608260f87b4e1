-- Attachment contents of xAPI statements (Communication 1.5.2), stored once per sha2 whatever the number of
-- statements (or requests) that carry them. Statements keep only the attachment metadata; which contents are still
-- referenced is known from the statements (ClickHouse statement_keys "h:<sha2>"), and unreferenced ones are
-- deleted by the LRS (deleteUnreferencedAttachments, used by erasure).
CREATE TABLE IF NOT EXISTS lrs_attachments (
    sha2 text PRIMARY KEY,
    content_type text NOT NULL,
    length integer NOT NULL,
    content bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
