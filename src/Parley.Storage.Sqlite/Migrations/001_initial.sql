-- Parley schema, version 1.
-- Timestamps are Unix milliseconds (UTC). Enums are stored as their integer values.
-- User ids are opaque to the store: tables do not reference users(id), so a missing account
-- is the domain's concern, not a constraint failure in the middle of a batch.

CREATE TABLE users (
    id              TEXT    NOT NULL PRIMARY KEY,
    username        TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    display_name    TEXT    NOT NULL,
    status_message  TEXT    NOT NULL,
    public_presence INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    last_seen       INTEGER,
    password_hash   TEXT    NOT NULL
);

-- Only the hash of a bearer token is ever stored; revoking deletes the row.
CREATE TABLE tokens (
    token_hash TEXT    NOT NULL PRIMARY KEY,
    user_id    TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX tokens_by_user ON tokens (user_id);

CREATE TABLE friend_requests (
    id         TEXT    NOT NULL PRIMARY KEY,
    from_user  TEXT    NOT NULL,
    to_user    TEXT    NOT NULL,
    note       TEXT    NOT NULL,
    status     INTEGER NOT NULL,   -- FriendRequestStatus: 0 pending, 1 accepted, 2 declined, 3 cancelled
    created_at INTEGER NOT NULL
);
-- At most one pending request per direction; closed ones are history.
CREATE UNIQUE INDEX friend_requests_pending_from ON friend_requests (from_user, to_user) WHERE status = 0;
CREATE INDEX friend_requests_pending_to ON friend_requests (to_user) WHERE status = 0;

CREATE TABLE categories (
    id       TEXT    NOT NULL PRIMARY KEY,
    owner_id TEXT    NOT NULL,
    name     TEXT    NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX categories_by_owner ON categories (owner_id, position);

-- A friendship is stored once per direction, each side with its own category.
CREATE TABLE friendships (
    user_id     TEXT    NOT NULL,
    friend_id   TEXT    NOT NULL,
    category_id TEXT    REFERENCES categories (id) ON DELETE SET NULL,
    since       INTEGER NOT NULL,
    PRIMARY KEY (user_id, friend_id)
) WITHOUT ROWID;
CREATE INDEX friendships_by_category ON friendships (category_id) WHERE category_id IS NOT NULL;

CREATE TABLE blocks (
    user_id    TEXT    NOT NULL,
    blocked_id TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
) WITHOUT ROWID;

-- last_seq is the per-conversation counter the append increments inside its transaction.
CREATE TABLE conversations (
    id       TEXT    NOT NULL PRIMARY KEY,
    last_seq INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- A rowid table on purpose: the rowid records when the membership began (listing order of
-- conversations that have no message yet).
CREATE TABLE conversation_members (
    conversation TEXT    NOT NULL REFERENCES conversations (id),
    user_id      TEXT    NOT NULL,
    read_seq     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation, user_id)
);
CREATE INDEX conversation_members_by_user ON conversation_members (user_id);

-- row is the global insertion order (messages are never deleted); history pages by the
-- (conversation, seq) key, never by OFFSET.
CREATE TABLE messages (
    row           INTEGER PRIMARY KEY,
    conversation  TEXT    NOT NULL REFERENCES conversations (id),
    seq           INTEGER NOT NULL,
    id            TEXT    NOT NULL UNIQUE,
    sender        TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    kind          INTEGER NOT NULL,   -- MessageKind: 0 text, 1 file, 2 system
    ts            INTEGER NOT NULL,
    client_msg_id TEXT,
    file_id       TEXT,
    recalled      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (conversation, seq)
);
-- The idempotency key of a send.
CREATE UNIQUE INDEX messages_by_client_msg_id ON messages (conversation, sender, client_msg_id) WHERE client_msg_id IS NOT NULL;
-- Covers the unread count (seq after the read mark, sender not the reader) without touching rows.
CREATE INDEX messages_by_sender ON messages (conversation, seq, sender);
CREATE INDEX messages_by_file ON messages (file_id) WHERE file_id IS NOT NULL;

-- "groups" is an SQL keyword (window frames), hence the prefix.
CREATE TABLE chat_groups (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    owner_id   TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE group_members (
    group_id  TEXT    NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    user_id   TEXT    NOT NULL,
    role      INTEGER NOT NULL,   -- GroupRole: 0 member, 1 admin, 2 owner
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members (user_id);

CREATE TABLE group_invitations (
    group_id   TEXT    NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    user_id    TEXT    NOT NULL,
    invited_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_invitations_by_user ON group_invitations (user_id);

CREATE TABLE files (
    id           TEXT    NOT NULL PRIMARY KEY,
    sha256       TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    uploader_id  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
