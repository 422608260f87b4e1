-- xAPI documents (Communication 2.3 State, 2.6 Agent Profile, 2.7 Activity Profile): arbitrary bytes with their
-- content type, one row per document. The three resources share one table: the same reads, writes, concurrency
-- control and erasure apply to all of them, and the key columns a resource does not use hold '' (never NULL, so
-- they can be part of the primary key).
-- agent_ifi is the agent's identifier as libs/xapi's actorIfi() writes it ("mbox:mailto:…", "account:home|name"),
-- the same string as statements.actor_ifi in ClickHouse, so one value finds an agent's documents and statements.
-- etag is the quoted SHA-1 of content, served as the ETag header; version is bumped by every write and is what
-- conditional writes compare (compare-and-set), so two racing writes can never both succeed, even when they write
-- identical bytes.
CREATE TABLE IF NOT EXISTS xapi_documents (
    kind text NOT NULL CHECK (kind IN ('state', 'activity_profile', 'agent_profile')),
    activity_id text NOT NULL DEFAULT '',
    agent_ifi text NOT NULL DEFAULT '',
    registration text NOT NULL DEFAULT '',
    document_id text NOT NULL,
    content bytea NOT NULL,
    content_type text NOT NULL,
    etag text NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    updated timestamptz NOT NULL,
    PRIMARY KEY (kind, activity_id, agent_ifi, registration, document_id)
);

-- Right to erasure finds every document of one agent, whatever the activity.
CREATE INDEX IF NOT EXISTS xapi_documents_agent ON xapi_documents (agent_ifi) WHERE agent_ifi <> '';
