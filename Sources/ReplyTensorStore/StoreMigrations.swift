import GRDB

/// Named, append-only migrations. Never edit a shipped migration: add a new one.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ledger-and-cursors") { db in
            try db.execute(sql: """
                CREATE TABLE mentions (
                    platform TEXT NOT NULL,
                    id TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    reason TEXT,
                    reply_ids TEXT NOT NULL DEFAULT '[]',
                    reply_parts TEXT NOT NULL DEFAULT '[]',
                    message TEXT NOT NULL,
                    chat_id TEXT NOT NULL,
                    author_id TEXT NOT NULL,
                    admitted_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    claimed_at REAL,
                    PRIMARY KEY (platform, id)
                ) WITHOUT ROWID;
                CREATE INDEX mentions_state ON mentions(state, admitted_at);
                CREATE INDEX mentions_claimed ON mentions(claimed_at);
                CREATE TABLE cursors (
                    platform TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    value TEXT NOT NULL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (platform, scope)
                ) WITHOUT ROWID;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-limits-tokens-state") { db in
            try db.execute(sql: """
                CREATE TABLE rate_blocks (
                    platform TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    until REAL NOT NULL,
                    reason TEXT NOT NULL,
                    PRIMARY KEY (platform, scope)
                ) WITHOUT ROWID;
                CREATE TABLE tokens (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    updated_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE adapter_state (
                    platform TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (platform, key)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3-conversation-log-and-backend") { db in
            try db.execute(sql: """
                CREATE TABLE conversation_log (
                    platform TEXT NOT NULL,
                    chat_id TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    parent_id TEXT,
                    author_id TEXT NOT NULL,
                    author_name TEXT NOT NULL,
                    from_bot INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    at REAL NOT NULL,
                    PRIMARY KEY (platform, chat_id, message_id)
                ) WITHOUT ROWID;
                CREATE INDEX conversation_log_at ON conversation_log(at);
                ALTER TABLE mentions ADD COLUMN backend TEXT;
                CREATE INDEX mentions_author ON mentions(platform, author_id, claimed_at);
                CREATE INDEX mentions_chat ON mentions(platform, chat_id, claimed_at);
                """)
        }
        migrator.registerMigration("v4-fewer-ledger-indexes") { db in
            // Every index is written on every admission and transition. Two serve all queries: the open mentions
            // (few, resumed on start) and one covering index of claims by time, from which the policy counts read
            // a bounded range (the last minute, hour or day) without touching the table.
            try db.execute(sql: """
                DROP INDEX mentions_state;
                DROP INDEX mentions_claimed;
                DROP INDEX mentions_author;
                DROP INDEX mentions_chat;
                CREATE INDEX mentions_open ON mentions(admitted_at) WHERE state IN ('received', 'responding', 'posting');
                CREATE INDEX mentions_claims ON mentions(claimed_at, platform, author_id, chat_id, state, reply_ids)
                    WHERE claimed_at IS NOT NULL;
                """)
        }
        return migrator
    }
}
