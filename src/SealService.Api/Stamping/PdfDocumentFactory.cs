using System.Collections.Concurrent;
using System.Text.Json;
using SealService.Domain.Model;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;
using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Revocation;
using SealService.Keys.Store;
using SealService.Keys.Tsa;
using SealService.Pdf.Parsing;
using SealService.Pdf.Rendering;
using SealService.Pdf.Seals;
using SealService.Pdf.Signing;

namespace SealService.Api.Stamping;

/// <summary>
/// Renders templates (SealService.Pdf.Rendering) or takes an upload, signs with the seal's key (Keys file store) and a
/// visible widget showing the seal image (cached per seal version), and writes the result to the documents folder.
/// </summary>
public sealed class PdfDocumentFactory(
    TemplateCatalog templates, ISealKeyStore keys, IRegistryStore registry, DocumentFiles files, SealImages images, PdfDocumentFactory.Settings settings)
    : IDocumentFactory
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoFields = new Dictionary<string, JsonElement>();
    private readonly ConcurrentDictionary<(string SealId, int Version), Lazy<SealAppearance>> _appearances = new();

    /// <summary>
    /// The level of a stamp whose request and seal name none; whether missing dev seal keys may be issued (Development
    /// only); where B-LT's validation data comes from (OCSP answers or CRLs); the TSA of B-T and up (null: none).
    /// </summary>
    public sealed record Settings(SignatureLevel DefaultLevel, IDevSealIssuer? DevSeals, IRevocationClient Revocation, ITimeStampAuthority? TimeStamps);

    public void ValidateLevel(SignatureLevel? level)
    {
        var effective = level ?? settings.DefaultLevel;
        if (effective >= SignatureLevel.BaselineT && settings.TimeStamps is null)
            throw new StampingException(StampingErrorCodes.SignatureLevelUnavailable,
                $"签名级别 {effective.Name()} 需要时间戳服务，本服务未配置 (PAdES {effective.Name()} needs a time-stamp authority: Keys:Tsa:Url is not set)");
    }

    public async Task<IStagedPdf> StageUploadAsync(Stream pdf, long maxBytes, CancellationToken ct) =>
        await StagedUpload.CreateAsync(files, pdf, maxBytes, ct);

    public void ValidateTemplate(string templateId, JsonElement? fields)
    {
        var template = Template(templateId);
        Translate(() => DocumentRenderer.ValidateFields(template, Fields(fields)));
    }

    public DocumentKind TemplateKind(string templateId) => Template(templateId).DocumentKind;

    public async Task<IProducedDocument> ProduceAsync(DocumentOrder order, CancellationToken ct)
    {
        var key = await KeyAsync(order.Seal, ct);
        var produced = files.Create(DocumentFiles.StoragePathFor(order.DocumentId, order.SigningTime));
        try
        {
            await using var output = produced.OpenWrite();
            if (order.TemplateId is { } templateId)
            {
                await SignTemplateAsync(order, templateId, key, output, ct);
            }
            else
            {
                var upload = order.Upload ?? throw new InvalidOperationException("neither a template nor an upload");
                await using var input = upload.OpenRead();
                var rect = order.Placement is { } p ? new PdfRect(p.X, p.Y, p.Width, p.Height) : (PdfRect?)null;
                await SignAsync(input, output, key, order, order.Placement?.Page ?? 0, rect, ct, order.SignatureField);
            }

            await produced.SealAsync(output, ct);
            return produced;
        }
        catch
        {
            await produced.DisposeAsync();
            throw;
        }
    }

    public Stream OpenStored(string storagePath) => files.OpenRead(storagePath);

    private async Task SignTemplateAsync(DocumentOrder order, string templateId, SealKey key, Stream output, CancellationToken ct)
    {
        var template = Template(templateId);
        // The seal is not drawn into the page content: the signature widget shows it, so it appears once, on top.
        var context = new RenderContext(order.DocumentNumber, ChinaTime.DateOf(order.SigningTime), order.VerificationUrl)
        {
            CreatedAt = order.SigningTime,
            Bound = await BoundValuesAsync(template, order, ct),
            Draft = false,
        };
        using var rendered = new MemoryStream(64 * 1024);
        var result = Translate(() => DocumentRenderer.Render(template, Fields(order.Fields), context, rendered));
        var placement = result.Seal;
        var rect = placement is null ? (PdfRect?)null : new PdfRect(placement.X, placement.Y, placement.Width, placement.Height);
        rendered.Position = 0;
        await SignAsync(rendered, output, key, order, placement is null ? 0 : placement.PageIndex + 1, rect, ct);
    }

    private async Task SignAsync(Stream input, Stream output, SealKey key, DocumentOrder order, int page, PdfRect? rect, CancellationToken ct,
        string? field = null)
    {
        var level = order.Level ?? settings.DefaultLevel;
        ValidateLevel(level);
        var options = new SignatureOptions
        {
            Level = level == SignatureLevel.BaselineB ? PadesLevel.BaselineB : PadesLevel.BaselineT,
            Page = page,
            Rect = rect,
            FieldName = field,
            Appearance = Appearance(order.Seal),
            Name = order.Seal.Text,
            Reason = order.Reason,
            Location = order.Location,
            SigningTime = order.SigningTime,
            InputChecked = true, // our own render, or an upload checked while it was staged
            SignedAttributes = [new CmsSignedAttribute(SealServiceOids.StampScopeAttribute, StampScopeAttribute.Encode(order.Scope))],
        };
        try
        {
            if (level < SignatureLevel.BaselineLt)
            {
                await PdfSigner.SignAsync(input, output, key.Creator, options, ct);
                return;
            }

            // B-LT: the signature first, then the DSS update over it (collecting needs the signature's bytes); B-LTA: then
            // a document time-stamp over both.
            await using var signed = TempFile();
            await PdfSigner.SignAsync(input, signed, key.Creator, options, ct);
            signed.Position = 0;
            await using var extended = level == SignatureLevel.BaselineLta ? TempFile() : null;
            await PdfValidationData.AppendAsync(signed, extended ?? output,
                (cms, c) => ValidationDataCollector.CollectAsync(cms, settings.Revocation, [], c), ct);
            if (extended is not null)
            {
                extended.Position = 0;
                await PdfDocumentTimestamp.AddAsync(extended, output, settings.TimeStamps!, ct);
            }
        }
        catch (PdfSigningException e)
        {
            throw new StampingException(e.Code, e.Message);
        }
        catch (PdfFormatException e)
        {
            throw new StampingException(StampingErrorCodes.PdfInvalid, $"{e.Code}: {e.Message}");
        }
        catch (KeysException e)
        {
            throw new StampingException(StampingErrorCodes.SigningFailed, $"签名失败 (signing failed: {e.Code})");
        }
    }

    private static FileStream TempFile() => new(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
        FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    private async Task<SealKey> KeyAsync(Seal seal, CancellationToken ct)
    {
        try
        {
            if (settings.DevSeals is { } dev)
                await dev.EnsureAsync(seal.KeyRef, new SealCertificateSubject(seal.Text, await ActingBodyNameAsync(seal, ct)), ct);
            return await keys.GetAsync(seal.KeyRef, ct);
        }
        catch (KeysException e)
        {
            throw new StampingException(StampingErrorCodes.SigningFailed,
                $"印章密钥不可用 (the seal's key is unavailable: {e.Code})");
        }
    }

    /// <summary>Registry facts and the stamping's own values, for the bindings this template uses (no lookup it does not need).</summary>
    private async Task<IReadOnlyDictionary<string, string>> BoundValuesAsync(DocumentTemplate template, DocumentOrder order, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var binding in template.Fields.Select(f => f.Bind).OfType<string>().Distinct())
        {
            values[binding] = binding switch
            {
                TemplateBindings.MatterName => order.Matter.Name,
                TemplateBindings.MatterCode => order.Matter.Code ?? string.Empty,
                TemplateBindings.ActingBodyName => await ActingBodyNameAsync(order.Seal, ct),
                TemplateBindings.TownshipName => order.Seal.HoldingTownshipId is { } holder
                    ? (await registry.Townships.GetAsync(holder, ct))?.Name ?? string.Empty
                    : string.Empty,
                TemplateBindings.SealText => order.Seal.Text,
                TemplateBindings.CaseNumber => order.Scope.CaseNumber,
                _ => throw new InvalidOperationException($"binding {binding} passed the template check but has no value"),
            };
        }

        return values;
    }

    // The certificate's O is the body as printed on the seal's arc (e.g. 牡丹区行政审批服务局); the registry's name
    // (e.g. 区行政审批服务局, as the county's catalogue lists it) only when the seal has no arc text.
    private async Task<string> ActingBodyNameAsync(Seal seal, CancellationToken ct) =>
        !string.IsNullOrWhiteSpace(seal.ArcText) ? seal.ArcText
        : seal.Kind == SealKind.TownshipOwn
            ? (await registry.Townships.GetAsync(seal.ActingBodyId, ct))?.Name ?? seal.Text
            : (await registry.Departments.GetAsync(seal.ActingBodyId, ct))?.Name ?? seal.Text;

    private SealAppearance Appearance(Seal seal) =>
        _appearances.GetOrAdd((seal.Id, seal.Version), _ => new Lazy<SealAppearance>(() =>
            SealAppearance.FromPng(images.Png(seal)))).Value;

    private DocumentTemplate Template(string templateId) =>
        templates.TryGet(templateId, out var template)
            ? template
            : throw new StampingException(StampingErrorCodes.TemplateNotFound, $"模板 '{templateId}' 不存在 (unknown template)");

    private static IReadOnlyDictionary<string, JsonElement> Fields(JsonElement? fields) =>
        fields is { ValueKind: JsonValueKind.Object } f
            ? f.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)
            : NoFields;

    private static T Translate<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (TemplateException e)
        {
            // Detail, not Message: the transports put the code in front themselves.
            var errors = e.Field is { } f ? new Dictionary<string, string[]> { ["fields." + f] = [e.Detail] } : null;
            throw new StampingException(e.Code, e.Detail, errors) { Field = e.Field };
        }
    }

    private static void Translate(Action action) => Translate<bool>(() =>
    {
        action();
        return true;
    });
}
