using System.Data.Common;
using SealService.Domain.Model;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;

namespace SealService.Storage.Relational;

/// <summary>
/// Seal uses, documents, document numbers, idempotency keys and the supervision outbox, in the registry's database
/// (so one transaction covers a document, its seal use and its ledger entry). Every write goes through one
/// <see cref="GroupCommitWriter"/>: concurrent stamps share a transaction and its fsync. Document numbers come from
/// blocks of <c>numberBlockSize</c> reserved ahead in the database (the counter row serialises nodes, so two nodes never
/// hold the same number); a block belongs to the node that reserved it, and its unused numbers are void when that node
/// restarts, never reused.
/// </summary>
public class RelationalStampingStore : IStampingStore, IAsyncDisposable, IDisposable
{
    /// <summary>Numbers reserved per write of the counter (the most a crash can void unused, per seal and year).</summary>
    public const int DefaultNumberBlockSize = 16;

    private readonly SqlDatabase _db;
    private readonly string _node;
    private readonly ISealUseJournal? _journal;
    private readonly GroupCommitWriter _writer;
    private readonly NumberBlocks _numbers;

    /// <param name="node">Owner of the number blocks this store reserves; nodes sharing a database need distinct, stable names.</param>
    protected RelationalStampingStore(RelationalRegistryStore registry, ISealUseJournal? journal, int numberBlockSize, string node)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numberBlockSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(numberBlockSize, 10_000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(node.Length, 200);
        _db = registry.Database;
        _node = node;
        _journal = journal;
        _writer = new GroupCommitWriter(_db, journal is null ? null : journal.Committed);
        _numbers = new NumberBlocks(numberBlockSize, ReserveBlockAsync);
    }

    /// <summary>Write transactions committed so far (a stamp's commit shares one with the stamps queued beside it).</summary>
    public long WriteBatches => _writer.Batches;

    /// <summary>
    /// One node owns an embedded database, and the stamping service already holds the key's in-process lock: nothing to
    /// hold here. Stores shared by several nodes override this.
    /// </summary>
    public virtual Task<IAsyncDisposable> HoldIdempotencyKeyAsync(string idempotencyKey, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable>(NoHold.Instance);

    public async Task<IdempotentAnswer?> FindIdempotentAsync(string idempotencyKey, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var cmd = Sql.Command(c, null, "SELECT request_hash, document_id FROM idempotency_keys WHERE key = @k", ("@k", idempotencyKey));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new IdempotentAnswer(r.GetString(0), r.GetString(1)) : null;
    }

    /// <summary>The next number of the seal's block for the year; it is written (used or void) when the stamp ends.</summary>
    public async Task<NumberAllocation> AllocateNumberAsync(
        string sealId, int year, string documentId, DateTimeOffset at, Func<long, string> format, CancellationToken ct)
    {
        var seq = await _numbers.NextAsync(sealId, year, ct);
        return new NumberAllocation(sealId, year, seq, format(seq), documentId);
    }

    private Task<long> ReserveBlockAsync(string sealId, int year, int size) =>
        _writer.WriteAsync(async (c, tx) =>
        {
            var last = await Sql.ScalarAsync(c, tx, """
                INSERT INTO number_counters(seal_id, year, last_seq) VALUES (@s, @y, @n)
                ON CONFLICT(seal_id, year) DO UPDATE SET last_seq = number_counters.last_seq + @n
                RETURNING last_seq
                """, CancellationToken.None, ("@s", sealId), ("@y", year), ("@n", size));
            var first = last - size + 1;
            await Sql.ExecuteAsync(c, tx, """
                INSERT INTO number_blocks(seal_id, year, first_seq, last_seq, reserved_ticks, owner) VALUES (@s, @y, @f, @l, @t, @o)
                """, CancellationToken.None, ("@s", sealId), ("@y", year), ("@f", first), ("@l", last), ("@t", DateTime.UtcNow.Ticks), ("@o", _node));
            return first;
        }, CancellationToken.None);

    /// <summary>Records the number as void (作废) with the reason, unless its stamp was already stored.</summary>
    public Task VoidNumberAsync(NumberAllocation number, string reason, CancellationToken ct) =>
        _writer.WriteAsync(async (c, tx) => await Sql.ExecuteAsync(c, tx, """
            INSERT INTO document_numbers(seal_id, year, seq, number, document_id, state, allocated_ticks, void_reason)
            VALUES (@s, @y, @q, @n, @d, 'void', @t, @r)
            ON CONFLICT DO NOTHING
            """, CancellationToken.None, ("@s", number.SealId), ("@y", number.Year), ("@q", number.Sequence), ("@n", number.DocumentNumber),
            ("@d", number.DocumentId), ("@t", DateTime.UtcNow.Ticks), ("@r", reason)), ct);

    /// <summary>
    /// At start-up (no request of this node in flight): the numbers this node's earlier run reserved or allocated but never
    /// wrote become void (作废) and are never reused: its open blocks are closed with their count of unused numbers, and
    /// rows a version before blocks left "allocated" are voided. Other nodes' blocks are left alone. Returns how many
    /// numbers that voids.
    /// </summary>
    public virtual async Task<int> VoidInterruptedAsync(CancellationToken ct)
    {
        var voided = await _writer.WriteAsync(async (c, tx) =>
        {
            var legacy = await Sql.ExecuteAsync(c, tx,
                "UPDATE document_numbers SET state = 'void', void_reason = 'interrupted (service stopped before the document was stored)' WHERE state = 'allocated'", ct);
            await using var close = Sql.Command(c, tx, """
                UPDATE number_blocks SET closed_ticks = @t, unused = (last_seq - first_seq + 1) - (
                    SELECT COUNT(*) FROM document_numbers n
                    WHERE n.seal_id = number_blocks.seal_id AND n.year = number_blocks.year AND n.seq BETWEEN first_seq AND last_seq)
                WHERE closed_ticks IS NULL AND owner = @o
                RETURNING unused
                """, ("@t", DateTime.UtcNow.Ticks), ("@o", _node));
            long unused = 0;
            await using (var r = await close.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                    unused += r.GetInt64(0);
            }

            return legacy + unused;
        }, ct);
        _numbers.Clear();
        return (int)voided;
    }

    /// <summary>Forgets the blocks this process holds (they were closed elsewhere); the next numbers come from new blocks.</summary>
    protected void ForgetNumberBlocks() => _numbers.Clear();

    public Task CommitStampAsync(StampCommit commit, CancellationToken ct) =>
        _writer.WriteAsync(async (c, tx) =>
        {
            try
            {
                await CommitInAsync(c, tx, commit);
            }
            catch (DbException ex) when (_db.IsConstraintOn(ex, "idempotency_keys"))
            {
                throw new StampingException(StampingErrorCodes.IdempotencyConflict,
                    "Idempotency-Key 已被另一个请求使用 (the key was used concurrently by another request)");
            }
            catch (DbException ex) when (_db.IsConstraintOn(ex, "document_numbers"))
            {
                throw new InvalidOperationException($"document number {commit.Number.DocumentNumber} is no longer allocated (void or used)", ex);
            }

            return true;
        }, ct);

    private async Task CommitInAsync(DbConnection c, DbTransaction tx, StampCommit commit)
    {
        var ct = CancellationToken.None; // once in a batch a write runs to its end (see GroupCommitWriter)
        await RequireCurrentBasisAsync(c, tx, commit.Basis, ct);
        await InsertUseAsync(c, tx, commit.SealUse, ct);
        await Sql.ExecuteAsync(c, tx, """
            INSERT INTO documents(id, number, sha256, size_bytes, template_id, storage_path, seal_use_id, created_ticks)
            VALUES (@id, @n, @h, @sz, @tpl, @p, @u, @t)
            """, ct, ("@id", commit.Number.DocumentId), ("@n", commit.Number.DocumentNumber), ("@h", commit.SealUse.Sha256),
            ("@sz", commit.SizeBytes), ("@tpl", commit.TemplateId), ("@p", commit.StoragePath), ("@u", commit.SealUse.Id),
            ("@t", commit.SealUse.At.UtcTicks));
        // Only a number of a block still open (not closed by a restart) is written; the primary key refuses one that was
        // voided or used meanwhile.
        var open = await Sql.ScalarAsync(c, tx, """
            SELECT EXISTS (SELECT 1 FROM number_blocks
                WHERE seal_id = @s AND year = @y AND first_seq <= @q AND last_seq >= @q AND closed_ticks IS NULL)
            """, ct, ("@s", commit.Number.SealId), ("@y", commit.Number.Year), ("@q", commit.Number.Sequence));
        if (open == 0)
        {
            throw new InvalidOperationException($"document number {commit.Number.DocumentNumber} is no longer allocated (its block was closed)");
        }

        await Sql.ExecuteAsync(c, tx, """
            INSERT INTO document_numbers(seal_id, year, seq, number, document_id, state, allocated_ticks)
            VALUES (@s, @y, @q, @n, @d, 'used', @t)
            """, ct, ("@s", commit.Number.SealId), ("@y", commit.Number.Year), ("@q", commit.Number.Sequence),
            ("@n", commit.Number.DocumentNumber), ("@d", commit.Number.DocumentId), ("@t", commit.SealUse.At.UtcTicks));
        await Sql.ExecuteAsync(c, tx, """
            INSERT INTO idempotency_keys(key, request_hash, document_id, created_ticks) VALUES (@k, @h, @d, @t)
            """, ct, ("@k", commit.IdempotencyKey), ("@h", commit.RequestHash), ("@d", commit.Number.DocumentId),
            ("@t", commit.SealUse.At.UtcTicks));
        if (commit.Supervision is { } e)
        {
            await Sql.ExecuteAsync(c, tx, """
                INSERT INTO supervision_outbox(id, department_id, document_id, payload, created_ticks, status, attempts, next_attempt_ticks)
                VALUES (@id, @dep, @doc, @p, @t, 'pending', 0, @t)
                """, ct, ("@id", e.Id), ("@dep", e.DepartmentId), ("@doc", e.DocumentId), ("@p", e.PayloadJson), ("@t", e.CreatedAt.UtcTicks));
        }

        await AppendToJournalAsync(c, tx, commit.SealUse, ct);
    }

    /// <summary>Under the write lock (SQLite) or a share lock on the head rows (PostgreSQL): the versions the decision used are still the latest (no revocation slipped in).</summary>
    private async Task RequireCurrentBasisAsync(DbConnection c, DbTransaction tx, Domain.Policy.PolicyBasis basis, CancellationToken ct)
    {
        // Share-locked till commit (PostgreSQL): a revocation committing meanwhile waits, so it is ordered after this stamp.
        var seal = await Sql.ScalarAsync(c, tx, $"SELECT current_version FROM seals WHERE id = @id{_db.ShareLock}", ct, ("@id", basis.SealId));
        if (seal != basis.SealVersion)
        {
            throw new StampBasisChangedException($"seal {basis.SealId} is at version {seal}, the decision used {basis.SealVersion}");
        }

        if (basis.AgreementId is { } agreementId)
        {
            var agreement = await Sql.ScalarAsync(c, tx, $"SELECT current_version FROM agreements WHERE id = @id{_db.ShareLock}", ct, ("@id", agreementId));
            if (agreement != basis.AgreementVersion)
            {
                throw new StampBasisChangedException($"agreement {agreementId} is at version {agreement}, the decision used {basis.AgreementVersion}");
            }
        }
    }

    public Task RecordRefusalAsync(SealUseRecord refusal, CancellationToken ct) =>
        _writer.WriteAsync(async (c, tx) =>
        {
            await InsertUseAsync(c, tx, refusal, CancellationToken.None);
            await AppendToJournalAsync(c, tx, refusal, CancellationToken.None);
            return true;
        }, ct);

    public async Task<StoredDocument?> GetDocumentAsync(string documentId, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var cmd = Sql.Command(c, null, $"""
            SELECT d.id, d.number, d.sha256, d.size_bytes, d.template_id, d.storage_path, {UseColumns("u")}
            FROM documents d JOIN seal_uses u ON u.id = d.seal_use_id WHERE d.id = @id
            """, ("@id", documentId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        return new StoredDocument(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.Str(4), r.GetString(5), ReadUse(r, 6));
    }

    public async Task<Page<SealUseRecord>> QuerySealUsesAsync(SealUseFilter filter, PageRequest page, CancellationToken ct)
    {
        var where = new SqlWhere();
        where.AddSealUseScope("", filter.DepartmentId, filter.TownshipId, filter.From, filter.To);
        if (filter.SealId is { } seal)
        {
            where.Add("seal_id = @seal", "@seal", seal);
        }

        if (filter.MatterId is { } matter)
        {
            where.Add("matter_id = @mat", "@mat", matter);
        }

        if (filter.Outcome is { } outcome)
        {
            where.Add("outcome = @out", "@out", outcome);
        }

        var ps = where.Parameters;
        await using var c = await _db.OpenAsync(ct);
        await using var tx = await _db.BeginReadAsync(c, ct); // count and page from one snapshot
        var total = await Sql.ScalarAsync(c, tx, $"SELECT COUNT(*) FROM seal_uses WHERE {where}", ct, [.. ps]);
        ps.Add(("@limit", page.Limit));
        ps.Add(("@offset", page.Offset));
        await using var cmd = Sql.Command(c, tx, $"""
            SELECT {UseColumns("seal_uses")} FROM seal_uses WHERE {where}
            ORDER BY at_ticks DESC, id DESC LIMIT @limit OFFSET @offset
            """, [.. ps]);
        var items = new List<SealUseRecord>(Math.Min(page.Limit, (int)Math.Min(total, int.MaxValue)));
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                items.Add(ReadUse(r, 0));
            }
        }

        return new Page<SealUseRecord>(items, (int)total);
    }

    /// <summary>The ledger entry goes into the same transaction as the record; its index is kept on the row.</summary>
    private async Task AppendToJournalAsync(DbConnection c, DbTransaction tx, SealUseRecord use, CancellationToken ct)
    {
        if (_journal is null)
        {
            return;
        }

        if (await _journal.AppendAsync(tx, use, ct) is { } index)
            await Sql.ExecuteAsync(c, tx, "UPDATE seal_uses SET ledger_index = @i WHERE id = @id", ct, ("@i", index), ("@id", use.Id));
    }

    private sealed class NoHold : IAsyncDisposable
    {
        public static readonly NoHold Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    internal static string UseColumns(string t) =>
        string.Join(", ", new[]
        {
            "id", "at_ticks", "at_offset", "outcome", "code", "message", "actor_name", "actor_role", "actor_department_id",
            "actor_township_id", "seal_id", "seal_version", "seal_department_id", "seal_township_id", "matter_id", "step",
            "case_number", "subject_township_id", "agreement_id", "agreement_version", "mode", "document_kind", "template_id",
            "document_id", "document_number", "sha256", "ledger_index",
        }.Select(col => $"{t}.{col}"));

    public virtual ValueTask DisposeAsync() => _writer.DisposeAsync();

    public virtual void Dispose() => _writer.Dispose();

    internal static SealUseRecord ReadUse(DbDataReader r, int o) => new()
    {
        Id = r.GetString(o),
        At = Sql.Instant(r.GetInt64(o + 1), r.GetInt64(o + 2)),
        Outcome = r.GetString(o + 3),
        Code = r.Str(o + 4),
        Message = r.Str(o + 5),
        ActorName = r.GetString(o + 6),
        ActorRole = Sql.Enum<CallerRole>(r.GetString(o + 7)),
        ActorDepartmentId = r.Str(o + 8),
        ActorTownshipId = r.Str(o + 9),
        SealId = r.GetString(o + 10),
        SealVersion = r.IsDBNull(o + 11) ? null : r.GetInt32(o + 11),
        SealDepartmentId = r.Str(o + 12),
        SealTownshipId = r.Str(o + 13),
        MatterId = r.GetString(o + 14),
        Step = Wire.TryParseStep(r.GetString(o + 15), out var step) ? step : throw new InvalidDataException("unknown step"),
        CaseNumber = r.GetString(o + 16),
        SubjectTownshipId = r.Str(o + 17),
        AgreementId = r.Str(o + 18),
        AgreementVersion = r.IsDBNull(o + 19) ? null : r.GetInt32(o + 19),
        Mode = r.Str(o + 20) is { } mode ? Sql.Enum<DelegationMode>(mode) : null,
        DocumentKind = r.Str(o + 21) is { } kind ? Sql.Enum<DocumentKind>(kind) : null,
        TemplateId = r.Str(o + 22),
        DocumentId = r.Str(o + 23),
        DocumentNumber = r.Str(o + 24),
        Sha256 = r.Str(o + 25),
        LedgerIndex = r.IsDBNull(o + 26) ? null : r.GetInt64(o + 26),
    };

    private static Task<int> InsertUseAsync(DbConnection c, DbTransaction tx, SealUseRecord u, CancellationToken ct) =>
        Sql.ExecuteAsync(c, tx, """
            INSERT INTO seal_uses(id, at_ticks, at_offset, outcome, code, message, actor_name, actor_role, actor_department_id,
                actor_township_id, seal_id, seal_version, seal_department_id, seal_township_id, matter_id, step, case_number,
                subject_township_id, agreement_id, agreement_version, mode, document_kind, template_id, document_id,
                document_number, sha256)
            VALUES (@id, @at, @off, @out, @code, @msg, @an, @ar, @ad, @at2, @s, @sv, @sd, @st, @m, @step, @case, @subj, @ag, @agv,
                @mode, @kind, @tpl, @doc, @num, @sha)
            """, ct, ("@id", u.Id), ("@at", u.At.UtcTicks), ("@off", (long)u.At.Offset.TotalMinutes), ("@out", u.Outcome),
            ("@code", u.Code), ("@msg", u.Message), ("@an", u.ActorName), ("@ar", Wire.Name(u.ActorRole)), ("@ad", u.ActorDepartmentId),
            ("@at2", u.ActorTownshipId), ("@s", u.SealId), ("@sv", u.SealVersion), ("@sd", u.SealDepartmentId), ("@st", u.SealTownshipId),
            ("@m", u.MatterId), ("@step", u.Step.Name()), ("@case", u.CaseNumber), ("@subj", u.SubjectTownshipId), ("@ag", u.AgreementId),
            ("@agv", u.AgreementVersion), ("@mode", u.Mode is { } mode ? Wire.Name(mode) : null),
            ("@kind", u.DocumentKind is { } kind ? Wire.Name(kind) : null), ("@tpl", u.TemplateId), ("@doc", u.DocumentId),
            ("@num", u.DocumentNumber), ("@sha", u.Sha256));
}
