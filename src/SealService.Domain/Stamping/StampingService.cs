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
    IRegistryStore registry, StampCheckService checks, IStampingStore store, IDocumentFactory factory, StampingOptions options, TimeProvider clock)
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
        if (command.TemplateId is { } templateId)
        {
            factory.ValidateTemplate(templateId, command.Fields);
        }

        await using var upload = pdf is null ? null : await factory.StageUploadAsync(pdf, options.MaxUploadBytes, ct);
        if (upload is not null && command.Placement is { } placement && placement.Page > upload.PageCount)
        {
            throw new StampingException(StampingErrorCodes.ValidationFailed, StampingErrorKind.Invalid,
                $"PDF 只有 {upload.PageCount} 页 (the PDF has {upload.PageCount} pages)",
                new Dictionary<string, string[]> { ["placement.page"] = [$"1..{upload.PageCount} or 0 (last page)"] });
        }

        var hash = RequestHash.Compute(caller, command, upload?.Sha256);
        using var held = await _keys.AcquireAsync(idempotencyKey, ct);

        if (await store.FindIdempotentAsync(idempotencyKey, ct) is { } prior)
        {
            return prior.RequestHash == hash
                ? await ReplayAsync(prior.DocumentId, ct)
                : throw new StampingException(StampingErrorCodes.IdempotencyConflict, StampingErrorKind.Conflict,
                    "Idempotency-Key 已用于另一个请求 (the key was used for a different request)");
        }

        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)); // the ledger's canonical time has milliseconds
        var kind = command.DocumentKind ?? KindOfTemplate(command.TemplateId);
        var decision = await checks.CheckAsync(
            new StampRequest(caller, command.SealId, command.MatterId, command.Step, command.SubjectTownshipId, kind, now), ct);
        var seal = await registry.Seals.GetAsOfAsync(command.SealId, now, ct);
        var use = NewUse(caller, command, kind, seal, now);
        if (!decision.Allowed || seal is null || decision.Basis is not { } basis)
        {
            await RecordRefusalAsync(use, decision, ct);
            throw Refusal(decision, use.Id);
        }

        var matter = await registry.Matters.GetAsync(command.MatterId, ct)
            ?? throw new StampingException(RefusalCodes.MatterNotFound, StampingErrorKind.NotFound, "事项不存在 (matter not found)");
        var documentId = "doc-" + Guid.CreateVersion7(now).ToString("N");
        var pattern = options.NumberPatterns.GetValueOrDefault(seal.Id) ?? DocumentNumberPattern.Default(seal);
        var year = ChinaTime.DateOf(now).Year;
        var number = await store.AllocateNumberAsync(
            seal.Id, year, documentId, now, seq => DocumentNumberPattern.Format(pattern, year, seq), ct);
        var result = new StampResult(documentId, number.DocumentNumber, string.Empty, 0, use.Id,
            DownloadUrl(documentId), VerificationUrl(documentId), now);

        IProducedDocument? produced = null;
        try
        {
            produced = await factory.ProduceAsync(new DocumentOrder(documentId, number.DocumentNumber, seal, now,
                result.VerificationUrl, command.TemplateId, command.Fields, upload, command.Placement,
                Reason(command), null), ct);
            await produced.PublishAsync(ct);
            use = use with
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
                ? Supervision.Event(supervisor, use, matter, result, now)
                : null;
            // The stamp is complete from here on: a client that goes away must not leave a half-written record.
            await store.CommitStampAsync(new StampCommit(use, number, produced.StoragePath, produced.Length,
                idempotencyKey, hash, command.TemplateId, supervision), CancellationToken.None);
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
            throw new StampingException(StampingErrorCodes.NotFound, StampingErrorKind.NotFound, "文书不存在 (document not found)");
        }

        var stored = await store.GetDocumentAsync(documentId!, ct)
            ?? throw new StampingException(StampingErrorCodes.NotFound, StampingErrorKind.NotFound, "文书不存在 (document not found)");
        if (!SealUseAccess.CanRead(caller, stored.SealUse))
        {
            throw new StampingException(StampingErrorCodes.Forbidden, StampingErrorKind.Forbidden, "无权查看该文书 (not in your scope)");
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
        var kind = code is RefusalCodes.SealNotFound or RefusalCodes.MatterNotFound ? StampingErrorKind.NotFound : StampingErrorKind.Refused;
        return new StampingException(code, kind, decision.Message, sealUseId: sealUseId);
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

    /// <summary>The document kind a template issues, for the policy (which kinds a mode may issue).</summary>
    public static DocumentKind? KindOfTemplate(string? templateId) => templateId switch
    {
        "acceptance-receipt" => Model.DocumentKind.AcceptanceReceipt,
        "review-opinion" => Model.DocumentKind.ReviewOpinion,
        "licence-decision" => Model.DocumentKind.Decision,
        "certificate" => Model.DocumentKind.Certification,
        null => null,
        _ => Model.DocumentKind.Other,
    };

    private static string Reason(StampCommand c) => $"办件 {c.CaseNumber} {StepText(c.Step)}";

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
