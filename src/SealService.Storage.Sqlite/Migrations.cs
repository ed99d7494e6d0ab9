using Microsoft.Data.Sqlite;

namespace SealService.Storage.Sqlite;

/// <summary>
/// Forward-only schema migrations, applied in order at open and recorded in schema_migrations.
/// Never edit a shipped migration; add a new one.
/// </summary>
internal static class Migrations
{
    private static readonly (int Version, string Name, string Sql)[] All =
    [
        (1, "registry", """
            CREATE TABLE regions (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, city TEXT);
            CREATE TABLE departments (
                id TEXT PRIMARY KEY, region_id TEXT NOT NULL REFERENCES regions(id), name TEXT NOT NULL);
            CREATE INDEX ix_departments_region ON departments(region_id);
            CREATE TABLE townships (
                id TEXT PRIMARY KEY, region_id TEXT NOT NULL REFERENCES regions(id), name TEXT NOT NULL, kind TEXT NOT NULL);
            CREATE INDEX ix_townships_region ON townships(region_id);
            CREATE TABLE village_stations (
                id TEXT PRIMARY KEY, township_id TEXT NOT NULL REFERENCES townships(id), name TEXT NOT NULL);
            CREATE TABLE matters (
                id TEXT PRIMARY KEY,
                region_id TEXT NOT NULL REFERENCES regions(id),
                department_id TEXT NOT NULL REFERENCES departments(id),
                supervising_department_id TEXT REFERENCES departments(id),
                name TEXT NOT NULL, code TEXT,
                power_type TEXT NOT NULL, secondary_power_type TEXT, power_type_text TEXT NOT NULL,
                level TEXT NOT NULL, catalogue_mode TEXT, catalogue_steps TEXT NOT NULL,
                handling TEXT, remark TEXT,
                source_file TEXT, source_seq INTEGER, source_line INTEGER);
            CREATE UNIQUE INDEX ux_matters_source ON matters(source_file, source_seq) WHERE source_file IS NOT NULL;
            CREATE INDEX ix_matters_region ON matters(region_id);
            CREATE INDEX ix_matters_department ON matters(department_id);

            -- Versioned: *_versions hold every version (never updated); the head row points at the latest.
            CREATE TABLE agreement_versions (
                id TEXT NOT NULL, version INTEGER NOT NULL,
                department_id TEXT NOT NULL REFERENCES departments(id),
                township_id TEXT NOT NULL REFERENCES townships(id),
                title TEXT NOT NULL, period_from TEXT NOT NULL, period_to TEXT,
                filing_number TEXT, filing_date TEXT, status TEXT NOT NULL,
                changed_by TEXT NOT NULL, changed_at INTEGER NOT NULL, changed_offset INTEGER NOT NULL, reason TEXT NOT NULL,
                PRIMARY KEY (id, version));
            CREATE INDEX ix_agreement_versions_township ON agreement_versions(township_id, changed_at);
            CREATE TABLE agreement_matters (
                agreement_id TEXT NOT NULL, version INTEGER NOT NULL,
                ordinal INTEGER NOT NULL,
                matter_id TEXT NOT NULL REFERENCES matters(id), mode TEXT NOT NULL, steps TEXT NOT NULL,
                PRIMARY KEY (agreement_id, version, matter_id),
                FOREIGN KEY (agreement_id, version) REFERENCES agreement_versions(id, version));
            CREATE INDEX ix_agreement_matters_matter ON agreement_matters(matter_id);
            CREATE TABLE agreements (
                id TEXT PRIMARY KEY, current_version INTEGER NOT NULL,
                department_id TEXT NOT NULL, township_id TEXT NOT NULL, title TEXT NOT NULL, status TEXT NOT NULL);
            CREATE INDEX ix_agreements_township ON agreements(township_id);
            CREATE INDEX ix_agreements_department ON agreements(department_id);

            CREATE TABLE seal_versions (
                id TEXT NOT NULL, version INTEGER NOT NULL,
                text TEXT NOT NULL, kind TEXT NOT NULL, acting_body_id TEXT NOT NULL, holding_township_id TEXT REFERENCES townships(id),
                valid_from TEXT NOT NULL, valid_to TEXT, key_ref TEXT NOT NULL, arc_text TEXT, purpose_text TEXT,
                status TEXT NOT NULL,
                changed_by TEXT NOT NULL, changed_at INTEGER NOT NULL, changed_offset INTEGER NOT NULL, reason TEXT NOT NULL,
                PRIMARY KEY (id, version));
            CREATE TABLE seals (
                id TEXT PRIMARY KEY, current_version INTEGER NOT NULL,
                text TEXT NOT NULL, kind TEXT NOT NULL, acting_body_id TEXT NOT NULL, holding_township_id TEXT, status TEXT NOT NULL);
            CREATE INDEX ix_seals_holder ON seals(holding_township_id);
            CREATE INDEX ix_seals_acting ON seals(acting_body_id);
            """),
        (2, "stamping", """
            -- 文号: one counter per seal and year; every number handed out is kept (allocated → used | void), never reused.
            CREATE TABLE number_counters (
                seal_id TEXT NOT NULL, year INTEGER NOT NULL, last_seq INTEGER NOT NULL, PRIMARY KEY (seal_id, year));
            CREATE TABLE document_numbers (
                seal_id TEXT NOT NULL, year INTEGER NOT NULL, seq INTEGER NOT NULL, number TEXT NOT NULL,
                document_id TEXT NOT NULL UNIQUE, state TEXT NOT NULL CHECK (state IN ('allocated', 'used', 'void')),
                allocated_ticks INTEGER NOT NULL, void_reason TEXT, PRIMARY KEY (seal_id, year, seq), UNIQUE (seal_id, number));
            -- 用章登记: stamps and refused attempts; seal_department_id / seal_township_id as the seal was at the time.
            CREATE TABLE seal_uses (
                id TEXT PRIMARY KEY, at_ticks INTEGER NOT NULL, at_offset INTEGER NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('stamped', 'refused')), code TEXT, message TEXT,
                actor_name TEXT NOT NULL, actor_role TEXT NOT NULL, actor_department_id TEXT, actor_township_id TEXT,
                seal_id TEXT NOT NULL, seal_version INTEGER, seal_department_id TEXT, seal_township_id TEXT,
                matter_id TEXT NOT NULL, step TEXT NOT NULL, case_number TEXT NOT NULL, subject_township_id TEXT,
                agreement_id TEXT, agreement_version INTEGER, mode TEXT, document_kind TEXT, template_id TEXT,
                document_id TEXT UNIQUE, document_number TEXT, sha256 TEXT, ledger_index INTEGER UNIQUE);
            CREATE INDEX ix_seal_uses_at ON seal_uses(at_ticks);
            CREATE INDEX ix_seal_uses_seal_dept ON seal_uses(seal_department_id, at_ticks);
            CREATE INDEX ix_seal_uses_seal_twp ON seal_uses(seal_township_id, at_ticks);
            CREATE INDEX ix_seal_uses_actor_twp ON seal_uses(actor_township_id, at_ticks);
            CREATE INDEX ix_seal_uses_seal ON seal_uses(seal_id, at_ticks);
            CREATE INDEX ix_seal_uses_matter ON seal_uses(matter_id, at_ticks);
            CREATE TABLE documents (
                id TEXT PRIMARY KEY, number TEXT NOT NULL, sha256 TEXT NOT NULL, size_bytes INTEGER NOT NULL,
                template_id TEXT, storage_path TEXT NOT NULL,
                seal_use_id TEXT NOT NULL UNIQUE REFERENCES seal_uses(id), created_ticks INTEGER NOT NULL);
            CREATE TABLE idempotency_keys (
                key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, document_id TEXT NOT NULL REFERENCES documents(id),
                created_ticks INTEGER NOT NULL);
            -- 审管互动 outbox, written in the stamp's transaction, drained by the delivery worker.
            CREATE TABLE supervision_outbox (
                id TEXT PRIMARY KEY, department_id TEXT NOT NULL, document_id TEXT NOT NULL REFERENCES documents(id),
                payload TEXT NOT NULL, created_ticks INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')), attempts INTEGER NOT NULL,
                next_attempt_ticks INTEGER, last_error TEXT, delivered_ticks INTEGER);
            CREATE INDEX ix_outbox_due ON supervision_outbox(status, next_attempt_ticks);
            """),
        (3, "number-blocks", """
            -- Document numbers reserved ahead, a block per transaction (number_counters moves by the block). A number of a
            -- block without a document_numbers row was never issued; closed_ticks/unused are set when the next start
            -- closes the block, so an interrupted run's numbers are void (作废) and never reused.
            CREATE TABLE number_blocks (
                seal_id TEXT NOT NULL, year INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
                reserved_ticks INTEGER NOT NULL, closed_ticks INTEGER, unused INTEGER,
                PRIMARY KEY (seal_id, year, first_seq), CHECK (last_seq >= first_seq));
            CREATE INDEX ix_number_blocks_open ON number_blocks(closed_ticks);
            """),
        (4, "seal-signature-level", """
            -- PAdES level of the seal's stamps (B-B, B-T, B-LT, B-LTA); NULL = the host's default.
            ALTER TABLE seal_versions ADD COLUMN signature_level TEXT;
            """),
        (5, "number-block-owner", """
            -- The node that reserved a block; a restart closes only its own node's blocks ('' = the one embedded node).
            ALTER TABLE number_blocks ADD COLUMN owner TEXT NOT NULL DEFAULT '';
            """),
        (6, "ledger", """
            -- The seal-use ledger (docs/ledger.md) in the same file, so a record and its entry commit together. IF NOT
            -- EXISTS: files from before this migration already have the tables (the ledger created them when it opened).
            CREATE TABLE IF NOT EXISTS ledger_entries (
                idx INTEGER PRIMARY KEY, entry BLOB NOT NULL, leaf_hash BLOB NOT NULL, root_after BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS ledger_tree_heads (
                tree_size INTEGER PRIMARY KEY, root_hash BLOB NOT NULL, timestamp TEXT NOT NULL, key_id TEXT NOT NULL, signature BLOB NOT NULL);
            """),
    ];

    public static int Latest => All[^1].Version;

    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
            await create.ExecuteNonQueryAsync(ct);
        }

        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        long current;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = tx;
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
            current = (long)(await read.ExecuteScalarAsync(ct))!;
        }

        if (current > Latest)
        {
            throw new InvalidOperationException($"registry database is at schema {current}, newer than this build ({Latest})");
        }

        foreach (var (version, name, sql) in All)
        {
            if (version <= current)
            {
                continue;
            }

            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql + ";\nINSERT INTO schema_migrations(version, name, applied_at) VALUES ($v, $n, $t);";
            cmd.Parameters.AddWithValue("$v", version);
            cmd.Parameters.AddWithValue("$n", name);
            cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O"));
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }
}
