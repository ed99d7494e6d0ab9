using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SealService.Api.Stamping;
using SealService.Domain.Stamping;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>
/// The stamping host whose document factory runs <see cref="AfterProduce"/> once a document is signed and before the
/// stamp commits: a deterministic way to change the registry "during signing", with no sleeps.
/// </summary>
public sealed class HookedStampingApiFactory : StampingApiFactory
{
    public Func<DocumentOrder, Task>? AfterProduce { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<PdfDocumentFactory>();
            services.AddSingleton<IDocumentFactory>(sp => new Hooked(sp.GetRequiredService<PdfDocumentFactory>(), this));
        });
    }

    private sealed class Hooked(IDocumentFactory inner, HookedStampingApiFactory owner) : IDocumentFactory
    {
        public Task<IStagedPdf> StageUploadAsync(Stream pdf, long maxBytes, CancellationToken ct) => inner.StageUploadAsync(pdf, maxBytes, ct);

        public void ValidateTemplate(string templateId, System.Text.Json.JsonElement? fields) => inner.ValidateTemplate(templateId, fields);

        public Domain.Model.DocumentKind TemplateKind(string templateId) => inner.TemplateKind(templateId);

        public void ValidateLevel(Domain.Model.SignatureLevel? level) => inner.ValidateLevel(level);

        public Stream OpenStored(string storagePath) => inner.OpenStored(storagePath);

        public async Task<IProducedDocument> ProduceAsync(DocumentOrder order, CancellationToken ct)
        {
            var produced = await inner.ProduceAsync(order, ct);
            if (owner.AfterProduce is { } hook)
                await hook(order);
            return produced;
        }
    }
}
