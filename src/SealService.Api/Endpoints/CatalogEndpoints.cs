using System.Text;
using SealService.Api.Auth;
using SealService.Api.Endpoints.Contracts;
using SealService.Api.Errors;
using SealService.Domain.Application;
using SealService.Domain.Errors;

namespace SealService.Api.Endpoints;

public static class CatalogEndpoints
{
    /// <summary>
    /// POST /catalogs/import?file=NAME.csv with the CSV as the body (registry-admin). The file name picks the format.
    /// All or nothing: a bad row answers 422 CATALOGUE_ROW_INVALID with <c>file</c> and <c>line</c>.
    /// </summary>
    public static RouteGroupBuilder MapCatalogEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/catalogs/import", async (string? file, HttpRequest request, HttpContext http, CatalogueImporter importer, CancellationToken ct) =>
        {
            new Validator().Required("file", file, 100).ThrowIfAny();
            // The body is bounded by the request size limit; the parser is synchronous, so read it first.
            using var body = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var text = await body.ReadToEndAsync(ct);
            var result = await importer.ImportAsync(http.DomainCaller(), new StringReader(text), file!, ct);
            return TypedResults.Ok(new CatalogImportView(result.File, result.Inserted, result.Updated, result.Unchanged, result.Total));
        }).RequireAuthorization(AuthSetup.CanAdminister).ProducesErrors(Domain.Errors.ErrorCodes.CatalogueRowInvalid, Domain.Errors.ErrorCodes.CatalogueUnknownFormat).WithTags("catalogs")
          .Accepts<string>("text/csv")
          .WithSummary("Import one catalogue CSV (format from the file name)");
        return api;
    }
}
