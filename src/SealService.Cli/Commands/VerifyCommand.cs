using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using SealService.Keys;
using SealService.Keys.Pki;
using SealService.Keys.Verification;
using SealService.Pdf.Parsing;
using SealService.Pdf.Verification;
using SealService.Pdf.Verification.Reports;

namespace SealService.Cli.Commands;

/// <summary>
/// <c>sealctl verify FILE.pdf</c>: the offline report (signatures, integrity, trust from <c>--trust</c> anchors, changes
/// after signing, the stamp scope each seal's signature states). Registry and ledger checks need the service
/// (POST /api/v1/verifications). Exit 0 valid or valid-with-warnings, 1 altered or invalid, 2 unknown.
/// </summary>
public static class VerifyCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "PDF to verify" };
        var trust = new Option<FileInfo[]>("--trust")
        {
            Description = "Trust anchor certificate(s), PEM; default: the development root shipped with sealctl",
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("verify", "Verify a signed PDF offline: exit 0 valid (with or without warnings), 1 altered or invalid, 2 unknown");
        command.Arguments.Add(file);
        command.Options.Add(trust);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var anchors = parse.GetValue(trust) is { Length: > 0 } given
                    ? given.Select(f => f.FullName)
                    : [CliPaths.DevFile(DevPki.RootCaFile + ".pem")];
                var roots = anchors.Select(DevPki.ReadPem).ToList();
                var verifier = new PdfSignatureVerifier(new KeysCmsSignatureValidator(new CmsSignatureVerifier(new CmsVerificationOptions { TrustedRoots = roots })));
                await using var pdf = File.OpenRead(parse.GetValue(file)!.FullName);
                var report = await ReportAsync(verifier, pdf, ct);
                Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(report, Json) : Text(report));
                return report.Verdict switch
                {
                    Verdicts.Valid or Verdicts.ValidWithWarnings => 0,
                    Verdicts.Unknown => 2,
                    _ => 1,
                };
            }
            catch (Exception ex) when (ex is KeysException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"{(ex is KeysException k ? k.Code : "FILE_UNREADABLE")}: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static async Task<VerificationReport> ReportAsync(PdfSignatureVerifier verifier, FileStream pdf, CancellationToken ct)
    {
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(pdf, ct));
        pdf.Position = 0;
        try
        {
            var findings = (await verifier.VerifyAsync(pdf, ct)).Select(SignatureFindings.From).ToList();
            List<VerificationCheck> checks = findings.Count == 0
                ? [SignatureFindings.NoSignature]
                : [];
            return new VerificationReport { Verdict = SignatureFindings.Verdict(findings, checks), Sha256 = sha256, SizeBytes = pdf.Length, Checks = checks, Signatures = findings };
        }
        catch (PdfFormatException e)
        {
            return SignatureFindings.Unreadable(sha256, pdf.Length, e);
        }
    }

    private static string Text(VerificationReport report)
    {
        var lines = new List<string>
        {
            $"verdict: {report.Verdict}",
            $"sha256: {report.Sha256}",
            "offline: signatures only; the registry and the ledger are checked by the service (POST /api/v1/verifications)",
        };
        lines.AddRange(report.Checks.Select(c => $"  [{c.Status}] {c.Code}: {c.En}"));
        foreach (var s in report.Signatures)
        {
            lines.Add($"signature {s.Field}: intact={s.Intact} trusted={s.Trusted} coverage={s.Coverage} profile={s.Profile} signer={s.Signer}");
            if (s.Scope is { } scope)
                lines.Add($"  scope: seal {scope.SealId} v{scope.SealVersion}, matter {scope.MatterId} ({scope.MatterName}), step {scope.Step}, document {scope.DocumentNumber}");
            lines.AddRange(s.Checks.Select(c => $"  [{c.Status}] {c.Code}: {c.En}"));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
