using Microsoft.Data.Sqlite;
using SealService.Domain.Model;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;

namespace SealService.Storage.Sqlite;

/// <summary>
/// Seal uses, documents, document numbers, idempotency keys and the supervision outbox, in the registry's SQLite file
/// (so one transaction can cover a document, its seal use and — later — its ledger entry).
/// </summary>
public sealed class SqliteStampingStore(SqliteRegistryStore registry, ISealUseJournal? journal = null) : IStampingStore
{
    private const int SqliteConstraint = 19;
    private readonly SqliteDb _db = registry.Db;

    public async Task<IdempotentAnswer?> FindIdempotentAsync(string idempotencyKey, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var cmd = Sql.Command(c, null, "SELECT request_hash, document_id FROM idempotency_keys WHERE key = $k", ("$k", idempotencyKey));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new IdempotentAnswer(r.GetString(0), r.GetString(1)) : null;
    }

    public async Task<NumberAllocation> AllocateNumberAsync(
        string sealId, int year, string documentId, DateTimeOffset at, Func<long, string> format, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock first, waits on busy
        var seq = await Sql.ScalarAsync(c, tx, """
            INSERT INTO number_counters(seal_id, year, last_seq) VALUES ($s, $y, 1)
            ON CONFLICT(seal_id, year) DO UPDATE SET last_seq = last_seq + 1
            RETURNING last_seq
            """, ct, ("$s", sealId), ("$y", year));
        var number = format(seq);
        await Sql.ExecuteAsync(c, tx, """
            INSERT INTO document_numbers(seal_id, year, seq, number, document_id, state, allocated_ticks)
            VALUES ($s, $y, $q, $n, $d, 'allocated', $t)
            """, ct, ("$s", sealId), ("$y", year), ("$q", seq), ("$n", number), ("$d", documentId), ("$t", at.UtcTicks));
        await tx.CommitAsync(ct);
        return new NumberAllocation(sealId, year, seq, number, documentId);
    }

    public async Task VoidNumberAsync(NumberAllocation number, string reason, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await Sql.ExecuteAsync(c, null, """
            UPDATE document_numbers SET state = 'void', void_reason = $r
            WHERE seal_id = $s AND year = $y AND seq = $q AND state = 'allocated'
            """, ct, ("$r", reason), ("$s", number.SealId), ("$y", number.Year), ("$q", number.Sequence));
    }

    /// <summary>
    /// At start-up (no request in flight): numbers still "allocated" belong to requests a crash or stop interrupted; they
    /// become void (作废) and are never reused. Returns how many.
    /// </summary>
    public async Task<int> VoidInterruptedAsync(CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        return await Sql.ExecuteAsync(c, null,
            "UPDATE document_numbers SET state = 'void', void_reason = 'interrupted (service stopped before the document was stored)' WHERE state = 'allocated'", ct);
    }

    public async Task CommitStampAsync(StampCommit commit, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        try
        {
            await RequireCurrentBasisAsync(c, tx, commit.Basis, ct);
            await InsertUseAsync(c, tx, commit.SealUse, ct);
            await Sql.ExecuteAsync(c, tx, """
                INSERT INTO documents(id, number, sha256, size_bytes, template_id, storage_path, seal_use_id, created_ticks)
                VALUES ($id, $n, $h, $sz, $tpl, $p, $u, $t)
                """, ct, ("$id", commit.Number.DocumentId), ("$n", commit.Number.DocumentNumber), ("$h", commit.SealUse.Sha256),
                ("$sz", commit.SizeBytes), ("$tpl", commit.TemplateId), ("$p", commit.StoragePath), ("$u", commit.SealUse.Id),
                ("$t", commit.SealUse.At.UtcTicks));
            var used = await Sql.ExecuteAsync(c, tx, """
                UPDATE document_numbers SET state = 'used' WHERE seal_id = $s AND year = $y AND seq = $q AND state = 'allocated'
                """, ct, ("$s", commit.Number.SealId), ("$y", commit.Number.Year), ("$q", commit.Number.Sequence));
            if (used != 1)
            {
                throw new InvalidOperationException($"document number {commit.Number.DocumentNumber} is no longer allocated");
            }

            await Sql.ExecuteAsync(c, tx, """
                INSERT INTO idempotency_keys(key, request_hash, document_id, created_ticks) VALUES ($k, $h, $d, $t)
                """, ct, ("$k", commit.IdempotencyKey), ("$h", commit.RequestHash), ("$d", commit.Number.DocumentId),
                ("$t", commit.SealUse.At.UtcTicks));
            if (commit.Supervision is { } e)
            {
                await Sql.ExecuteAsync(c, tx, """
                    INSERT INTO supervision_outbox(id, department_id, document_id, payload, created_ticks, status, attempts, next_attempt_ticks)
                    VALUES ($id, $dep, $doc, $p, $t, 'pending', 0, $t)
                    """, ct, ("$id", e.Id), ("$dep", e.DepartmentId), ("$doc", e.DocumentId), ("$p", e.PayloadJson), ("$t", e.CreatedAt.UtcTicks));
            }

            await AppendToJournalAsync(c, tx, commit.SealUse, ct);
            await tx.CommitAsync(ct);
            journal?.Committed();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint && ex.Message.Contains("idempotency_keys", StringComparison.Ordinal))
        {
            throw new StampingException(StampingErrorCodes.IdempotencyConflict,
                "Idempotency-Key 已被另一个请求使用 (the key was used concurrently by another request)");
        }
    }

    /// <summary>Under the write lock: the versions the decision used are still the latest (no revocation slipped in).</summary>
    private static async Task RequireCurrentBasisAsync(SqliteConnection c, SqliteTransaction tx, Domain.Policy.PolicyBasis basis, CancellationToken ct)
    {
        var seal = await Sql.ScalarAsync(c, tx, "SELECT current_version FROM seals WHERE id = $id", ct, ("$id", basis.SealId));
        if (seal != basis.SealVersion)
        {
            throw new StampBasisChangedException($"seal {basis.SealId} is at version {seal}, the decision used {basis.SealVersion}");
        }

        if (basis.AgreementId is { } agreementId)
        {
            var agreement = await Sql.ScalarAsync(c, tx, "SELECT current_version FROM agreements WHERE id = $id", ct, ("$id", agreementId));
            if (agreement != basis.AgreementVersion)
            {
                throw new StampBasisChangedException($"agreement {agreementId} is at version {agreement}, the decision used {basis.AgreementVersion}");
            }
        }
    }

    public async Task RecordRefusalAsync(SealUseRecord refusal, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: false);
        await InsertUseAsync(c, tx, refusal, ct);
        await AppendToJournalAsync(c, tx, refusal, ct);
        await tx.CommitAsync(ct);
        journal?.Committed();
    }

    public async Task<StoredDocument?> GetDocumentAsync(string documentId, CancellationToken ct)
    {
        await using var c = await _db.OpenAsync(ct);
        await using var cmd = Sql.Command(c, null, $"""
            SELECT d.id, d.number, d.sha256, d.size_bytes, d.template_id, d.storage_path, {UseColumns("u")}
            FROM documents d JOIN seal_uses u ON u.id = d.seal_use_id WHERE d.id = $id
            """, ("$id", documentId));
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
            where.Add("seal_id = $seal", "$seal", seal);
        }

        if (filter.MatterId is { } matter)
        {
            where.Add("matter_id = $mat", "$mat", matter);
        }

        if (filter.Outcome is { } outcome)
        {
            where.Add("outcome = $out", "$out", outcome);
        }

        var ps = where.Parameters;
        await using var c = await _db.OpenAsync(ct);
        await using var tx = c.BeginTransaction(deferred: true); // count and page from one snapshot
        var total = await Sql.ScalarAsync(c, tx, $"SELECT COUNT(*) FROM seal_uses WHERE {where}", ct, [.. ps]);
        ps.Add(("$limit", page.Limit));
        ps.Add(("$offset", page.Offset));
        await using var cmd = Sql.Command(c, tx, $"""
            SELECT {UseColumns("seal_uses")} FROM seal_uses WHERE {where}
            ORDER BY at_ticks DESC, id DESC LIMIT $limit OFFSET $offset
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
    private async Task AppendToJournalAsync(SqliteConnection c, SqliteTransaction tx, SealUseRecord use, CancellationToken ct)
    {
        if (journal is null)
        {
            return;
        }

        var index = journal.Append(tx, use);
        await Sql.ExecuteAsync(c, tx, "UPDATE seal_uses SET ledger_index = $i WHERE id = $id", ct, ("$i", index), ("$id", use.Id));
    }

    internal static string UseColumns(string t) =>
        string.Join(", ", new[]
        {
            "id", "at_ticks", "at_offset", "outcome", "code", "message", "actor_name", "actor_role", "actor_department_id",
            "actor_township_id", "seal_id", "seal_version", "seal_department_id", "seal_township_id", "matter_id", "step",
            "case_number", "subject_township_id", "agreement_id", "agreement_version", "mode", "document_kind", "template_id",
            "document_id", "document_number", "sha256", "ledger_index",
        }.Select(col => $"{t}.{col}"));

    internal static SealUseRecord ReadUse(SqliteDataReader r, int o) => new()
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

    private static Task<int> InsertUseAsync(SqliteConnection c, SqliteTransaction tx, SealUseRecord u, CancellationToken ct) =>
        Sql.ExecuteAsync(c, tx, """
            INSERT INTO seal_uses(id, at_ticks, at_offset, outcome, code, message, actor_name, actor_role, actor_department_id,
                actor_township_id, seal_id, seal_version, seal_department_id, seal_township_id, matter_id, step, case_number,
                subject_township_id, agreement_id, agreement_version, mode, document_kind, template_id, document_id,
                document_number, sha256)
            VALUES ($id, $at, $off, $out, $code, $msg, $an, $ar, $ad, $at2, $s, $sv, $sd, $st, $m, $step, $case, $subj, $ag, $agv,
                $mode, $kind, $tpl, $doc, $num, $sha)
            """, ct, ("$id", u.Id), ("$at", u.At.UtcTicks), ("$off", (long)u.At.Offset.TotalMinutes), ("$out", u.Outcome),
            ("$code", u.Code), ("$msg", u.Message), ("$an", u.ActorName), ("$ar", Wire.Name(u.ActorRole)), ("$ad", u.ActorDepartmentId),
            ("$at2", u.ActorTownshipId), ("$s", u.SealId), ("$sv", u.SealVersion), ("$sd", u.SealDepartmentId), ("$st", u.SealTownshipId),
            ("$m", u.MatterId), ("$step", u.Step.Name()), ("$case", u.CaseNumber), ("$subj", u.SubjectTownshipId), ("$ag", u.AgreementId),
            ("$agv", u.AgreementVersion), ("$mode", u.Mode is { } mode ? Wire.Name(mode) : null),
            ("$kind", u.DocumentKind is { } kind ? Wire.Name(kind) : null), ("$tpl", u.TemplateId), ("$doc", u.DocumentId),
            ("$num", u.DocumentNumber), ("$sha", u.Sha256));
}
