using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using SealService.Api.Auth;
using SealService.Api.Errors;
using SealService.Api.Hosting;
using SealService.Ledger;

namespace SealService.Api.Ledger;

/// <summary>
/// The ledger over REST: signed tree heads, inclusion and consistency proofs (each with the signed head it is relative
/// to) for auditors, registry admins and department officers; the store verifier for auditors.
/// </summary>
public static class LedgerEndpoints
{
    /// <summary>Roles that may read heads and proofs (the log holds every department's seal uses, but only hashes leave it here).</summary>
    public static readonly string[] ReadRoles = [SealClaims.Auditor, SealClaims.RegistryAdmin, SealClaims.DepartmentOfficer];

    public static RouteGroupBuilder MapLedgerEndpoints(this RouteGroupBuilder api)
    {
        var ledger = api.MapGroup("/ledger").WithTags("ledger").RequireAuthorization(p => p.RequireRole(ReadRoles)).ProducesErrorsOf(typeof(LedgerErrorCodes));

        ledger.MapGet("/tree-head", async (SealLedger log, CancellationToken ct) =>
            Results.Ok(await log.GetLatestTreeHeadAsync(ct)
                ?? throw new LedgerException(LedgerErrorCodes.TreeHeadNotFound, "No tree head has been signed yet.")))
            .WithSummary("The latest signed tree head");

        ledger.MapGet("/tree-heads", async (HttpRequest request, SealLedger log, CancellationToken ct) =>
        {
            var from = Number(request, "from") ?? 0;
            var to = Number(request, "to") ?? long.MaxValue;
            var limit = Number(request, "limit") ?? 1000;
            if (limit is < 1 or > 1000)
                throw Invalid("limit", "must be between 1 and 1000");
            return Results.Ok(await log.ListTreeHeadsAsync(from, to, (int)limit, ct));
        }).WithSummary("Signed tree heads with from ≤ treeSize ≤ to, oldest first (at most 1000)")
          .WithQuery("from", "smallest tree size (default 0)").WithQuery("to", "largest tree size (default: no bound)").WithQuery("limit", "1..1000 (default 1000)");

        ledger.MapGet("/proofs/inclusion", async (HttpRequest request, SealLedger log, CancellationToken ct) =>
        {
            var index = Number(request, "index") ?? throw Invalid("index", "required");
            return Results.Ok(Number(request, "treeSize") is { } size
                ? await log.GetInclusionProofAsync(index, size, ct)
                : await log.GetInclusionProofAsync(index, ct));
        }).WithSummary("Audit path of entry `index` in the signed tree of `treeSize` (default: the latest head), with that head")
          .WithQuery("index", "the entry's ledger index", required: true).WithQuery("treeSize", "a signed tree size (default: the latest head)");

        ledger.MapGet("/proofs/consistency", async (HttpRequest request, SealLedger log, CancellationToken ct) =>
            Results.Ok(await log.GetConsistencyProofAsync(
                Number(request, "first") ?? throw Invalid("first", "required"),
                Number(request, "second") ?? throw Invalid("second", "required"), ct)))
            .WithSummary("Consistency proof between two signed heads, with both heads")
            .WithQuery("first", "the older signed tree size", required: true).WithQuery("second", "the newer signed tree size", required: true);

        ledger.MapPost("/verify", async (SealLedger log, CancellationToken ct) => Results.Ok(await log.VerifyAsync(ct)))
            .RequireAuthorization(p => p.RequireRole(SealClaims.Auditor))
            .WithSummary("Recompute the tree from the store, check every head and their consistency; names the first bad entry");
        return api;
    }

    /// <summary>
    /// The ledger's C2SP checkpoint for witnesses and checkpoint verifiers, anonymous like the other public pages: a
    /// checkpoint says only how large the log is and its root (docs/ledger.md "Checkpoints").
    /// </summary>
    public static WebApplication MapLedgerCheckpoints(this WebApplication app)
    {
        var group = app.MapGroup("/public/ledger").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/checkpoint", async (SealLedger log, LedgerSetup.CheckpointKey key, CancellationToken ct) =>
        {
            if (key.Signer is not { } signer)
                return Results.NotFound();
            var head = await log.GetLatestTreeHeadAsync(ct)
                ?? throw new LedgerException(LedgerErrorCodes.TreeHeadNotFound, "No tree head has been signed yet.");
            return Results.Text(signer.Sign(head), "text/plain; charset=utf-8");
        })
          .WithSummary("The latest signed tree head as a C2SP tlog-checkpoint signed note (Ed25519), for checkpoint verifiers and witnesses");

        group.MapGet("/checkpoint/key", (LedgerSetup.CheckpointKey key) => key.Signer is { } signer
            ? Results.Text(signer.VerifierKey + "\n", "text/plain; charset=utf-8")
            : Results.NotFound())
          .WithSummary("The checkpoint verifier key (name+keyhash+base64(0x01 ‖ Ed25519 public key))");

        return app;
    }

    private static long? Number(HttpRequest request, string name)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
            return null;
        return text.Length <= 19 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Invalid(name, "must be a non-negative whole number");
    }

    private static LedgerException Invalid(string name, string message) =>
        new(LedgerErrorCodes.RangeInvalid, $"{name}: {message}");
}
