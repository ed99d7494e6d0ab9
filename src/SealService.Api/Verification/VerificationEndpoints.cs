using Microsoft.Extensions.Options;
using SealService.Api.Errors;
using SealService.Api.Hosting;
using SealService.Api.Stamping;
using SealService.Domain.Model;
using SealService.Domain.Stamping;

using SealService.Pdf.Verification.Reports;

namespace SealService.Api.Verification;

/// <summary>
/// POST /api/v1/verifications (multipart part <c>file</c>) → the report as JSON; the public pages GET /verify (upload
/// form), POST /verify (report of an uploaded copy, compared with <c>documentId</c> when given) and GET /verify/{id}
/// (the QR target: the issued document as stored). The page and the API share the size limit.
/// </summary>
public static class VerificationEndpoints
{
    public static IEndpointRouteBuilder MapVerificationEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapPost("/api/v1/verifications", async (HttpContext http, DocumentVerifier verifier, IOptions<VerificationOptions> options, CancellationToken ct) =>
        {
            await using var upload = await VerificationUpload.ReadAsync(http, options.Value.MaxUploadBytes, ct);
            return Results.Ok(await verifier.VerifyAsync(upload.File, ValidId(upload.DocumentId), ct));
        }).DisableAntiforgery().WithTags("Verification")
          .Produces<VerificationReport>()
          .WithMultipart<RouteHandlerBuilder, object>(null, "file", "part `file` (the PDF to verify); optional part `documentId` (the document it should be)", "documentId")
          .ProducesErrors(StampingErrorCodes.PdfTooLarge, StampingErrorCodes.MultipartInvalid, StampingErrorCodes.UploadPartsInvalid);
        if (app.ServiceProvider.GetRequiredService<IOptions<VerificationOptions>>().Value.AllowAnonymous)
            api.AllowAnonymous();
        else
            api.RequireAuthorization();

        var page = app.MapGroup("/verify").AllowAnonymous().ExcludeFromDescription();
        page.MapGet("/", () => VerificationPage.Html(VerificationPage.Form()));
        page.MapPost("/", async (HttpContext http, DocumentVerifier verifier, IOptions<VerificationOptions> options, CancellationToken ct) =>
        {
            try
            {
                await using var upload = await VerificationUpload.ReadAsync(http, options.Value.MaxUploadBytes, ct);
                var documentId = ValidId(upload.DocumentId);
                return VerificationPage.Html(VerificationPage.Report(await verifier.VerifyAsync(upload.File, documentId, ct), documentId));
            }
            catch (StampingException e)
            {
                return VerificationPage.Html(VerificationPage.Form(e.Message), Errors.ErrorCatalog.HttpStatus(e.Code));
            }
        }).DisableAntiforgery();
        page.MapGet("/{documentId}", async (string documentId, DocumentVerifier verifier, IStampingStore stamping, DocumentFiles files, CancellationToken ct) =>
        {
            if (ValidId(documentId) is null || await stamping.GetDocumentAsync(documentId, ct) is not { } stored)
                return VerificationPage.Html(VerificationPage.NotFound("没有编号为该值的签发文件"), StatusCodes.Status404NotFound);
            await using var file = files.OpenRead(stored.StoragePath);
            return VerificationPage.Html(VerificationPage.Report(await verifier.VerifyAsync(file, documentId, ct), documentId));
        });
        return app;
    }

    private static string? ValidId(string? id) => id is { Length: > 0 and <= Ids.MaxLength } && Ids.IsValid(id) ? id : null;
}
