using System.Text.Json;
using SealService.Domain.Application;
using SealService.Domain.Errors;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;

namespace SealService.Domain.Stamping;

/// <summary>
/// Stamping end to end over ports: policy → number → render/take upload → sign → one transaction (document, seal use,
/// number used, idempotency key, supervision outbox). Thread-safe; register once.
/// </summary>
public sealed class StampingService(
    StampCheckService checks, IStampingStore store, IDocumentFactory factory, StampingOptions options, TimeProvider clock)
    : IStampingService
{
    public const int MaxIdempotencyKeyLength = 128;
    public const int MaxCaseNumberLength = 64;

    private readonly KeyedLock _keys = new();

    public async Task<StampResult> StampAsync(Caller caller, StampCommand command, Stream? pdf, string idempotencyKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        StampValidation.Check(command, pdf is not null, idempotencyKey);
        var kind = KindOf(command);
        await using var upload = pdf is null ? null : await factory.StageUploadAsync(pdf, options.MaxUploadBytes, ct);
        return await StampStagedAsync(caller, command, kind, upload, idempotencyKey, ct);
    }

    public async Task<IStagedPdf> StageUploadAsync(StampCommand command, string idempotencyKey, Stream pdf, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        StampValidation.Check(command, hasUpload: true, idempotencyKey); // before the spool, as for a one-shot upload
        return await factory.StageUploadAsync(pdf, options.MaxUploadBytes, ct);
    }

    /// <summary>Stamps an upload already staged by <see cref="StageUploadAsync"/> (the caller disposes it).</summary>
    public async Task<StampResult> StampUploadAsync(Caller caller, StampCommand command, IStagedPdf upload, string idempotencyKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(upload);
        StampValidation.Check(command, hasUpload: true, idempotencyKey);
        return await StampStagedAsync(caller, command, KindOf(command), upload, idempotencyKey, ct);
    }

    /// <summary>
    /// The kind the stamp issues: a template's own, whatever the caller claims (a different claim is refused once the
    /// attempt can be recorded); for an upload the caller's, which <see cref="StampValidation"/> has made required.
    /// </summary>
    private DocumentKind KindOf(StampCommand command)
    {
        if (command.TemplateId is not { } templateId)
        {
            return command.DocumentKind!.Value;
        }

        factory.ValidateTemplate(templateId, command.Fields);
        return factory.TemplateKind(templateId);
    }

    private async Task<StampResult> StampStagedAsync(
        Caller caller, StampCommand command, DocumentKind kind, IStagedPdf? upload, string idempotencyKey, CancellationToken ct)
    {
        if (upload is not null && command.Placement is { } placement && placement.Page > upload.PageCount)
        {
            throw new StampingException(StampingErrorCodes.ValidationFailed,
                $"PDF 只有 {upload.PageCount} 页 (the PDF has {upload.PageCount} pages)",
                new Dictionary<string, string[]> { ["placement.page"] = [$"1..{upload.PageCount} or 0 (last page)"] });
        }

        var hash = RequestHash.Compute(caller, command, upload?.Sha256);
        using var held = await _keys.AcquireAsync(idempotencyKey, ct);
        await using var shared = await store.HoldIdempotencyKeyAsync(idempotencyKey, ct); // retries on other nodes wait here

        if (await store.FindIdempotentAsync(idempotencyKey, ct) is { } prior)
        {
            return prior.RequestHash == hash
                ? await ReplayAsync(prior.DocumentId, ct)
                : throw new StampingException(StampingErrorCodes.IdempotencyConflict,
                    "Idempotency-Key 已用于另一个请求 (the key was used for a different request)");
        }

        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)); // the ledger's canonical time has milliseconds
        // One read of the registry: the decision's own view gives the seal and matter the stamp uses.
        var (decision, view) = await checks.DecideAsync(
            new StampRequest(caller, command.SealId, command.MatterId, command.Step, command.SubjectTownshipId, kind, now), ct);
        var seal = view.FindSeal(command.SealId);
        var use = NewUse(caller, command, kind, seal, now);
        if (command.DocumentKind is { } claimed && claimed != kind)
        {
            // A caller that misnames what it stamps is recorded like any refused attempt (谁用章谁负责).
            throw await RefuseKindMismatchAsync(use, command.TemplateId!, kind, claimed, ct);
        }

        if (!decision.Allowed || seal is null || decision.Basis is not { } basis)
        {
            await RecordRefusalAsync(use, decision, ct);
            throw Refusal(decision, use.Id);
        }

        var level = command.SignatureLevel ?? seal.SignatureLevel;
        factory.ValidateLevel(level);
        var matter = view.FindMatter(command.MatterId)
            ?? throw new StampingException(RefusalCodes.MatterNotFound, "事项不存在 (matter not found)");
        var documentId = "doc-" + Guid.CreateVersion7(now).ToString("N");
        var pattern = options.NumberPatterns.GetValueOrDefault(seal.Id) ?? DocumentNumberPattern.Default(seal);
        var year = ChinaTime.DateOf(now).Year;
        var number = await store.AllocateNumberAsync(
            seal.Id, year, documentId, now, seq => DocumentNumberPattern.Format(pattern, year, seq), ct);
        var result = new StampResult(documentId, number.DocumentNumber, string.Empty, 0, use.Id,
            DownloadUrl(documentId), VerificationUrl(documentId), now);
        var scope = new StampScope(seal.Id, basis.SealVersion, basis.AgreementId, basis.AgreementVersion, basis.Mode,
            matter.Id, matter.Code, matter.Name, command.Step, kind, command.CaseNumber, command.SubjectTownshipId,
            documentId, number.DocumentNumber, use.Id, command.TemplateId);

        IProducedDocument? produced = null;
        try
        {
            produced = await factory.ProduceAsync(new DocumentOrder(documentId, number.DocumentNumber, seal, matter, now,
                result.VerificationUrl, command.TemplateId, command.Fields, upload, command.Placement,
                Reason(command), null, scope, command.SignatureField, level), ct);
            await produced.PublishAsync(ct);
            var stamped = use with
            {
                Outcome = SealUseOutcomes.Stamped,
                SealVersion = basis.SealVersion,
                AgreementId = basis.AgreementId,
                AgreementVersion = basis.AgreementVersion,
                Mode = basis.Mode,
                DocumentId = documentId,
                DocumentNumber = number.DocumentNumber,
                Sha256 = produced.Sha256,
            };
            var supervision = command.Step is CaseStep.Decide or CaseStep.Issue && matter.SupervisingDepartmentId is { } supervisor
                ? Supervision.Event(supervisor, stamped, matter, result, now)
                : null;
            // The stamp is complete from here on: a client that goes away must not leave a half-written record.
            try
            {
                await store.CommitStampAsync(new StampCommit(basis, stamped, number, produced.StoragePath, produced.Length,
                    idempotencyKey, hash, command.TemplateId, supervision), CancellationToken.None);
            }
            catch (StampBasisChangedException changed)
            {
                // The same attempt (the id the signature names), recorded as refused.
                throw await RefuseChangedBasisAsync(caller, command, kind, use, changed);
            }
            catch (StampingException conflict) when (conflict.Code == StampingErrorCodes.IdempotencyConflict)
            {
                // Another node stamped under this key first (it took over a hold it believed abandoned): the same request
                // gets that answer; this document is discarded and its number void.
                if (await store.FindIdempotentAsync(idempotencyKey, CancellationToken.None) is not { } first || first.RequestHash != hash)
                    throw;
                await store.VoidNumberAsync(number, "duplicate of an idempotent retry answered by another node", CancellationToken.None);
                return await ReplayAsync(first.DocumentId, ct);
            }

            produced.Keep();
            return result with { Sha256 = produced.Sha256, SizeBytes = produced.Length };
        }
        catch (Exception e)
        {
            await store.VoidNumberAsync(number, Truncate(e is DomainException d ? d.Code + ": " + d.Message : e.GetType().Name, 500), CancellationToken.None);
            throw;
        }
        finally
        {
            if (produced is not null)
            {
                await produced.DisposeAsync();
            }
        }
    }

    public async Task<DocumentRecord> GetDocumentRecordAsync(Caller caller, string documentId, CancellationToken ct)
    {
        var stored = await LoadReadableAsync(caller, documentId, ct);
        return Describe(stored);
    }

    public async Task<DocumentContent> OpenDocumentAsync(Caller caller, string documentId, CancellationToken ct)
    {
        var stored = await LoadReadableAsync(caller, documentId, ct);
        var stream = factory.OpenStored(stored.StoragePath);
        return new DocumentContent(stored.DocumentId, stored.DocumentNumber, stored.Sha256, stored.SizeBytes, stream);
    }

    public Task<Page<SealUseRecord>> QuerySealUsesAsync(Caller caller, SealUseFilter filter, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var scoped = SealUseAccess.Scope(caller, filter);
        return store.QuerySealUsesAsync(scoped, page.Validated(), ct);
    }

    private async Task<StoredDocument> LoadReadableAsync(Caller caller, string documentId, CancellationToken ct)
    {
        if (!Ids.IsValid(documentId ?? string.Empty))
        {
            throw new StampingException(StampingErrorCodes.NotFound, "文书不存在 (document not found)");
        }

        var stored = await store.GetDocumentAsync(documentId!, ct)
            ?? throw new StampingException(StampingErrorCodes.NotFound, "文书不存在 (document not found)");
        if (!SealUseAccess.CanRead(caller, stored.SealUse))
        {
            throw new StampingException(StampingErrorCodes.Forbidden, "无权查看该文书 (not in your scope)");
        }

        return stored;
    }

    private async Task<StampResult> ReplayAsync(string documentId, CancellationToken ct)
    {
        var stored = await store.GetDocumentAsync(documentId, ct)
            ?? throw new InvalidOperationException($"idempotency key points to a missing document {documentId}");
        return new StampResult(stored.DocumentId, stored.DocumentNumber, stored.Sha256, stored.SizeBytes, stored.SealUse.Id,
            DownloadUrl(stored.DocumentId), VerificationUrl(stored.DocumentId), stored.SealUse.At, Replayed: true);
    }

    private DocumentRecord Describe(StoredDocument s) =>
        new(s.DocumentId, s.DocumentNumber, s.Sha256, s.SizeBytes, s.TemplateId, DownloadUrl(s.DocumentId), VerificationUrl(s.DocumentId), s.SealUse);

    /// <summary>
    /// The seal or agreement changed while the document was being signed (DOMAIN.md rule 4: a revocation takes effect at
    /// once). The stamp is refused with the code that applies now; if the registry now allows it on another basis, the
    /// signature would still name the old one, so it is STAMP_BASIS_CHANGED and the caller may retry.
    /// </summary>
    private async Task<StampingException> RefuseChangedBasisAsync(
        Caller caller, StampCommand command, DocumentKind kind, SealUseRecord use, StampBasisChangedException changed)
    {
        var now = await checks.CheckAsync(new StampRequest(caller, command.SealId, command.MatterId, command.Step,
            command.SubjectTownshipId, kind, clock.GetUtcNow()), CancellationToken.None);
        if (!now.Allowed)
        {
            await RecordRefusalAsync(use, now, CancellationToken.None);
            return Refusal(now, use.Id);
        }

        var message = $"签章期间印章或委托协议已变更，请重试 (the registry changed while signing: {changed.Message})";
        await RecordRefusalAsync(use, PolicyDecision.Refuse(StampingErrorCodes.StampBasisChanged, message), CancellationToken.None);
        return new StampingException(StampingErrorCodes.StampBasisChanged, message, sealUseId: use.Id);
    }

    private async Task<StampingException> RefuseKindMismatchAsync(
        SealUseRecord use, string templateId, DocumentKind kind, DocumentKind claimed, CancellationToken ct)
    {
        var message = $"模板 {templateId} 出具的是{DelegationPolicy.KindName(kind)}，不是{DelegationPolicy.KindName(claimed)} " +
            $"(template {templateId} issues {Wire.Name(kind)}, not {Wire.Name(claimed)})";
        await RecordRefusalAsync(use, PolicyDecision.Refuse(StampingErrorCodes.DocumentKindMismatch, message), ct);
        return new StampingException(StampingErrorCodes.DocumentKindMismatch, message,
            new Dictionary<string, string[]> { ["documentKind"] = [$"must be {Wire.Name(kind)} or absent"] }, use.Id);
    }

    private async Task RecordRefusalAsync(SealUseRecord use, PolicyDecision decision, CancellationToken ct)
    {
        var refused = use with
        {
            Outcome = SealUseOutcomes.Refused,
            Code = decision.Allowed ? RefusalCodes.SealNotFound : decision.Code,
            Message = Truncate(decision.Message, 500),
        };
        await store.RecordRefusalAsync(refused, ct);
    }

    private static StampingException Refusal(PolicyDecision decision, string sealUseId)
    {
        var code = decision.Code ?? RefusalCodes.SealNotFound;
        return new StampingException(code, decision.Message, sealUseId: sealUseId);
    }

    private static SealUseRecord NewUse(Caller caller, StampCommand c, DocumentKind? kind, Seal? seal, DateTimeOffset now) => new()
    {
        Id = "use-" + Guid.CreateVersion7(now).ToString("N"),
        At = now,
        Outcome = SealUseOutcomes.Refused,
        ActorName = caller.PersonName,
        ActorRole = caller.Role,
        ActorDepartmentId = caller.DepartmentId,
        ActorTownshipId = caller.TownshipId,
        SealId = c.SealId,
        SealVersion = seal?.Version,
        SealDepartmentId = seal is null ? null : seal.Kind == SealKind.TownshipOwn ? null : seal.ActingBodyId,
        SealTownshipId = seal is null ? null : seal.HoldingTownshipId ?? (seal.Kind == SealKind.TownshipOwn ? seal.ActingBodyId : null),
        MatterId = c.MatterId,
        Step = c.Step,
        CaseNumber = c.CaseNumber,
        SubjectTownshipId = c.SubjectTownshipId,
        DocumentKind = kind,
        TemplateId = c.TemplateId,
    };

    /// <summary>/Reason of the signature: the step and the case, in Chinese.</summary>
    private static string Reason(StampCommand c) => $"{StepText(c.Step)}：办件编号 {c.CaseNumber}";

    private static string StepText(CaseStep step) => step switch
    {
        CaseStep.Accept => "受理",
        CaseStep.InitialCheck => "初审",
        CaseStep.Review => "审核",
        CaseStep.ReCheck => "复核",
        CaseStep.Decide => "审批决定",
        _ => "出件发证",
    };

    private string BaseUrl => options.PublicBaseUrl.TrimEnd('/');

    private string DownloadUrl(string documentId) => $"{BaseUrl}/api/v1/documents/{documentId}";

    private string VerificationUrl(string documentId) => $"{BaseUrl}/verify/{documentId}";

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static class Supervision
    {
        public static SupervisionEvent Event(string departmentId, SealUseRecord use, Matter matter, StampResult result, DateTimeOffset now)
        {
            var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["type"] = "seal-use.stamped",
                ["supervisingDepartmentId"] = departmentId,
                ["matterId"] = matter.Id,
                ["matterName"] = matter.Name,
                ["step"] = Wire.Name(use.Step),
                ["caseNumber"] = use.CaseNumber,
                ["subjectTownshipId"] = use.SubjectTownshipId,
                ["sealId"] = use.SealId,
                ["sealUseId"] = use.Id,
                ["documentId"] = result.DocumentId,
                ["documentNumber"] = use.DocumentNumber,
                ["sha256"] = use.Sha256,
                ["downloadUrl"] = result.DownloadUrl,
                ["verificationUrl"] = result.VerificationUrl,
                ["stampedAt"] = now,
            });
            return new SupervisionEvent("evt-" + Guid.CreateVersion7(now).ToString("N"), departmentId, result.DocumentId, payload, now);
        }
    }
}
