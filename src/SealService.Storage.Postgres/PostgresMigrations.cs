using Npgsql;

namespace SealService.Storage.Postgres;

/// <summary>
/// Forward-only schema migrations, applied in order at open under an advisory lock (nodes starting together apply each
/// once) and recorded in schema_migrations. The tables mirror the SQLite adapter's (its migrations 1–5 in one): INTEGER
/// where the code reads 32-bit values (versions, years, ordinals), BIGINT for ticks, sequences, sizes and indexes.
/// Never edit a shipped migration; add a new one.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>Key of the advisory lock held while migrating ("SealSvc1" as a 64-bit number).</summary>
    private const long MigrationLock = 0x5365616C53766331;

    private static readonly (int Version, string Name, string Sql)[] All =
    [
        (1, "registry-and-stamping", """
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

            CREATE TABLE agreement_versions (
                id TEXT NOT NULL, version INTEGER NOT NULL,
                department_id TEXT NOT NULL REFERENCES departments(id),
                township_id TEXT NOT NULL REFERENCES townships(id),
                title TEXT NOT NULL, period_from TEXT NOT NULL, period_to TEXT,
                filing_number TEXT, filing_date TEXT, status TEXT NOT NULL,
                changed_by TEXT NOT NULL, changed_at BIGINT NOT NULL, changed_offset BIGINT NOT NULL, reason TEXT NOT NULL,
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
                changed_by TEXT NOT NULL, changed_at BIGINT NOT NULL, changed_offset BIGINT NOT NULL, reason TEXT NOT NULL,
                signature_level TEXT,
                PRIMARY KEY (id, version));
            CREATE TABLE seals (
                id TEXT PRIMARY KEY, current_version INTEGER NOT NULL,
                text TEXT NOT NULL, kind TEXT NOT NULL, acting_body_id TEXT NOT NULL, holding_township_id TEXT, status TEXT NOT NULL);
            CREATE INDEX ix_seals_holder ON seals(holding_township_id);
            CREATE INDEX ix_seals_acting ON seals(acting_body_id);

            -- 文号: one counter per seal and year, moved a block at a time; every number issued is kept (used | void).
            CREATE TABLE number_counters (
                seal_id TEXT NOT NULL, year INTEGER NOT NULL, last_seq BIGINT NOT NULL, PRIMARY KEY (seal_id, year));
            CREATE TABLE number_blocks (
                seal_id TEXT NOT NULL, year INTEGER NOT NULL, first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL,
                reserved_ticks BIGINT NOT NULL, closed_ticks BIGINT, unused BIGINT, owner TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (seal_id, year, first_seq), CHECK (last_seq >= first_seq));
            CREATE INDEX ix_number_blocks_open ON number_blocks(owner, closed_ticks);
            CREATE TABLE document_numbers (
                seal_id TEXT NOT NULL, year INTEGER NOT NULL, seq BIGINT NOT NULL, number TEXT NOT NULL,
                document_id TEXT NOT NULL UNIQUE, state TEXT NOT NULL CHECK (state IN ('allocated', 'used', 'void')),
                allocated_ticks BIGINT NOT NULL, void_reason TEXT, PRIMARY KEY (seal_id, year, seq), UNIQUE (seal_id, number));
            -- 用章登记: stamps and refused attempts; seal_department_id / seal_township_id as the seal was at the time.
            CREATE TABLE seal_uses (
                id TEXT PRIMARY KEY, at_ticks BIGINT NOT NULL, at_offset BIGINT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('stamped', 'refused')), code TEXT, message TEXT,
                actor_name TEXT NOT NULL, actor_role TEXT NOT NULL, actor_department_id TEXT, actor_township_id TEXT,
                seal_id TEXT NOT NULL, seal_version INTEGER, seal_department_id TEXT, seal_township_id TEXT,
                matter_id TEXT NOT NULL, step TEXT NOT NULL, case_number TEXT NOT NULL, subject_township_id TEXT,
                agreement_id TEXT, agreement_version INTEGER, mode TEXT, document_kind TEXT, template_id TEXT,
                document_id TEXT UNIQUE, document_number TEXT, sha256 TEXT, ledger_index BIGINT UNIQUE);
            CREATE INDEX ix_seal_uses_at ON seal_uses(at_ticks);
            CREATE INDEX ix_seal_uses_seal_dept ON seal_uses(seal_department_id, at_ticks);
            CREATE INDEX ix_seal_uses_seal_twp ON seal_uses(seal_township_id, at_ticks);
            CREATE INDEX ix_seal_uses_actor_twp ON seal_uses(actor_township_id, at_ticks);
            CREATE INDEX ix_seal_uses_seal ON seal_uses(seal_id, at_ticks);
            CREATE INDEX ix_seal_uses_matter ON seal_uses(matter_id, at_ticks);
            CREATE TABLE documents (
                id TEXT PRIMARY KEY, number TEXT NOT NULL, sha256 TEXT NOT NULL, size_bytes BIGINT NOT NULL,
                template_id TEXT, storage_path TEXT NOT NULL,
                seal_use_id TEXT NOT NULL UNIQUE REFERENCES seal_uses(id), created_ticks BIGINT NOT NULL);
            -- The key is reserved by the stamp's own commit: a retry on another node finds it, or fails on the unique key.
            CREATE TABLE idempotency_keys (
                key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, document_id TEXT NOT NULL REFERENCES documents(id),
                created_ticks BIGINT NOT NULL);
            CREATE TABLE supervision_outbox (
                id TEXT PRIMARY KEY, department_id TEXT NOT NULL, document_id TEXT NOT NULL REFERENCES documents(id),
                payload TEXT NOT NULL, created_ticks BIGINT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')), attempts INTEGER NOT NULL,
                next_attempt_ticks BIGINT, last_error TEXT, delivered_ticks BIGINT);
            CREATE INDEX ix_outbox_due ON supervision_outbox(status, next_attempt_ticks);
            """),
        (2, "nodes-and-idempotency-holds", """
            -- Nodes sharing the database, with the database's own clock (no skew between nodes): a node whose heartbeat is
            -- older than its lease is gone, and any node closes its number blocks and frees its idempotency holds.
            CREATE TABLE storage_nodes (
                node TEXT PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL, heartbeat_at TIMESTAMPTZ NOT NULL, lease_seconds DOUBLE PRECISION NOT NULL);
            -- An idempotency key being stamped right now by one node; a retry on another node waits for the answer.
            CREATE TABLE idempotency_holds (
                key TEXT PRIMARY KEY, node TEXT NOT NULL, since TIMESTAMPTZ NOT NULL);
            CREATE INDEX ix_idempotency_holds_node ON idempotency_holds(node);
            CREATE INDEX ix_number_blocks_owner_open ON number_blocks(owner) WHERE closed_ticks IS NULL;
            """),
        (3, "ledger", """
            -- The seal-use ledger (docs/ledger.md). A stamp's transaction writes its entry into ledger_queue; the one
            -- sequencer (advisory lock) gives queued entries their indexes in batches and stores each row's root.
            CREATE TABLE ledger_queue (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, seal_use_id TEXT NOT NULL, entry BYTEA NOT NULL,
                queued_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp());
            CREATE TABLE ledger_entries (
                idx BIGINT PRIMARY KEY CHECK (idx >= 0), entry BYTEA NOT NULL, leaf_hash BYTEA NOT NULL, root_after BYTEA NOT NULL);
            CREATE TABLE ledger_tree_heads (
                tree_size BIGINT PRIMARY KEY, root_hash BYTEA NOT NULL, timestamp TEXT NOT NULL, key_id TEXT NOT NULL, signature BYTEA NOT NULL);
            """),
        (4, "ledger-tiles", """
            -- The tree's hashes in tiles of 256: level 0 = leaf hashes, level k = complete subtrees of 2^k leaves. The
            -- sequencer appends to them in its batch transaction; a starting node loads them instead of every entry.
            CREATE TABLE ledger_tiles (
                level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63), tile BIGINT NOT NULL CHECK (tile >= 0), hashes BYTEA NOT NULL,
                PRIMARY KEY (level, tile));
            """),
    ];

    public static int Latest => All[^1].Version;

    public static async Task ApplyAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        await using var c = await source.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock({MigrationLock});
            CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
            """, c, tx))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }

        int current;
        await using (var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", c, tx))
        {
            current = (int)(await read.ExecuteScalarAsync(ct))!;
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

            await using (var apply = new NpgsqlCommand(sql, c, tx))
            {
                await apply.ExecuteNonQueryAsync(ct);
            }

            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations(version, name, applied_at) VALUES (@v, @n, @t)", c, tx);
            record.Parameters.AddWithValue("v", version);
            record.Parameters.AddWithValue("n", name);
            record.Parameters.AddWithValue("t", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }
}
