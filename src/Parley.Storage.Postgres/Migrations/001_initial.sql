-- Parley schema, version 1 (PostgreSQL). The same tables as the SQLite store's.
-- Timestamps are timestamptz written at whole milliseconds (the store truncates), so every store
-- reads back the same instants. Enums are stored as their integer values.
-- User ids are opaque to the store: tables do not reference users(id), so a missing account is
-- the domain's concern, not a constraint failure.
-- Columns named row_id record insertion order, the tie-breaker of listings (SQLite's rowid).
-- Text ordering in queries says COLLATE "C", so results do not depend on the database's locale.

CREATE TABLE users (
    id              text        NOT NULL PRIMARY KEY,
    username        text        NOT NULL,
    display_name    text        NOT NULL,
    status_message  text        NOT NULL,
    public_presence boolean     NOT NULL,
    created_at      timestamptz NOT NULL,
    last_seen       timestamptz,
    password_hash   text        NOT NULL
);
-- Usernames are unique whatever their case; lookups go through the same expression.
CREATE UNIQUE INDEX users_by_username ON users (lower(username));

-- Only the hash of a bearer token is ever stored; revoking deletes the row.
CREATE TABLE tokens (
    token_hash text        NOT NULL PRIMARY KEY,
    user_id    text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX tokens_by_user ON tokens (user_id);

CREATE TABLE friend_requests (
    id         text        NOT NULL PRIMARY KEY,
    row_id     bigint      GENERATED ALWAYS AS IDENTITY,
    from_user  text        NOT NULL,
    to_user    text        NOT NULL,
    note       text        NOT NULL,
    status     smallint    NOT NULL,   -- FriendRequestStatus: 0 pending, 1 accepted, 2 declined, 3 cancelled
    created_at timestamptz NOT NULL
);
-- At most one pending request per direction; closed ones are history.
CREATE UNIQUE INDEX friend_requests_pending_from ON friend_requests (from_user, to_user) WHERE status = 0;
CREATE INDEX friend_requests_pending_to ON friend_requests (to_user) WHERE status = 0;

CREATE TABLE categories (
    id       text    NOT NULL PRIMARY KEY,
    row_id   bigint  GENERATED ALWAYS AS IDENTITY,
    owner_id text    NOT NULL,
    name     text    NOT NULL,
    position integer NOT NULL
);
CREATE INDEX categories_by_owner ON categories (owner_id, position);

-- A friendship is stored once per direction, each side with its own category.
CREATE TABLE friendships (
    user_id     text        NOT NULL,
    friend_id   text        NOT NULL,
    category_id text        REFERENCES categories (id) ON DELETE SET NULL,
    since       timestamptz NOT NULL,
    PRIMARY KEY (user_id, friend_id)
);
CREATE INDEX friendships_by_category ON friendships (category_id) WHERE category_id IS NOT NULL;

CREATE TABLE blocks (
    user_id    text        NOT NULL,
    blocked_id text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
);

-- last_seq is the per-conversation counter. An append increments it first thing in its
-- transaction; the row lock that takes queues appends to one conversation, from every node, until
-- the append commits or rolls back, so seqs never collide and never skip.
CREATE TABLE conversations (
    id       text   NOT NULL PRIMARY KEY,
    last_seq bigint NOT NULL DEFAULT 0
);

CREATE TABLE conversation_members (
    conversation text   NOT NULL REFERENCES conversations (id),
    user_id      text   NOT NULL,
    read_seq     bigint NOT NULL DEFAULT 0,
    row_id       bigint GENERATED ALWAYS AS IDENTITY,   -- when the membership began
    PRIMARY KEY (conversation, user_id)
);
CREATE INDEX conversation_members_by_user ON conversation_members (user_id);

-- History pages by the (conversation, seq) key, never by OFFSET. The key's index also carries
-- sender and recalled, so the unread count (seq after the read mark, from someone else, not
-- recalled) is an index-only scan.
CREATE TABLE messages (
    conversation  text        NOT NULL REFERENCES conversations (id),
    seq           bigint      NOT NULL,
    id            text        NOT NULL UNIQUE,
    row_id        bigint      GENERATED ALWAYS AS IDENTITY,   -- global insertion order; messages are never deleted
    sender        text        NOT NULL,
    body          text        NOT NULL,
    kind          smallint    NOT NULL,   -- MessageKind: 0 text, 1 file, 2 system
    ts            timestamptz NOT NULL,
    client_msg_id text,
    file_id       text,
    recalled      boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (conversation, seq) INCLUDE (sender, recalled)
);
-- The idempotency key of a send.
CREATE UNIQUE INDEX messages_by_client_msg_id ON messages (conversation, sender, client_msg_id) WHERE client_msg_id IS NOT NULL;
CREATE INDEX messages_by_file ON messages (file_id) WHERE file_id IS NOT NULL;

-- "groups" is an SQL keyword, hence the prefix.
CREATE TABLE chat_groups (
    id         text        NOT NULL PRIMARY KEY,
    name       text        NOT NULL,
    owner_id   text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE group_members (
    group_id  text        NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    user_id   text        NOT NULL,
    role      smallint    NOT NULL,   -- GroupRole: 0 member, 1 admin, 2 owner
    joined_at timestamptz NOT NULL,
    row_id    bigint      GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members (user_id);

CREATE TABLE group_invitations (
    group_id   text        NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    user_id    text        NOT NULL,
    invited_by text        NOT NULL,
    created_at timestamptz NOT NULL,
    row_id     bigint      GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_invitations_by_user ON group_invitations (user_id);

CREATE TABLE files (
    id           text        NOT NULL PRIMARY KEY,
    sha256       text        NOT NULL,
    size         bigint      NOT NULL,
    content_type text        NOT NULL,
    file_name    text        NOT NULL,
    uploader_id  text        NOT NULL,
    created_at   timestamptz NOT NULL
);
