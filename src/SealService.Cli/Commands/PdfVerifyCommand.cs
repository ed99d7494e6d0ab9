using System.CommandLine;
using System.Globalization;
using SealService.Keys;
using SealService.Keys.Pki;
using SealService.Keys.Revocation;
using SealService.Keys.Verification;
using SealService.Pdf.Parsing;
using SealService.Pdf.Verification;

namespace SealService.Cli.Commands;

/// <summary><c>sealctl pdf verify</c>: check every signature of a PDF with our own verifier.</summary>
public static class PdfVerifyCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--in") { Description = "PDF to check", Required = true };
        var roots = new Option<FileInfo[]>("--root")
        {
            Description = "Trusted root certificate(s), PEM (default: the dev root shipped with sealctl)",
            DefaultValueFactory = _ => [new FileInfo(CliPaths.DevFile(DevPki.RootCaFile + ".pem"))],
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("verify", "Verify the PDF's signatures (ByteRange, CMS, certificate chain, time-stamp); exit 0 only if all are valid and the last covers the whole file");
        var fetch = new Option<bool>("--fetch-revocation")
        {
            Description = "Ask the OCSP responder (else the CRL) named in the signer certificate now; without it only the document's own DSS is used (offline)",
        };
        command.Options.Add(input);
        command.Options.Add(roots);
        command.Options.Add(fetch);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var trusted = parse.GetValue(roots)!.Select(f => DevPki.ReadPem(f.FullName)).ToList();
                using var http = parse.GetValue(fetch) ? new HttpClient { Timeout = TimeSpan.FromSeconds(15) } : null;
                var verifier = new PdfSignatureVerifier(new KeysCmsSignatureValidator(
                    new CmsSignatureVerifier(new CmsVerificationOptions { TrustedRoots = trusted, RequireSealCertificate = true })),
                    http is null ? null : new HttpRevocationClient(http));
                await using var pdf = File.OpenRead(parse.GetValue(input)!.FullName);
                var reports = await verifier.VerifyAsync(pdf, ct);
                foreach (var r in reports)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{r.FieldName}: {(r.Valid ? "VALID" : "INVALID " + r.ErrorCode)}; {(r.CoversWholeDocument ? "covers the whole document" : $"covers {r.CoveredBytes} of {r.FileLength} bytes")}; signer {r.SignerSubject ?? "?"}; /M {r.SigningTime:O}; time-stamp {(r.TimestampTime is { } t ? t.ToString("O", CultureInfo.InvariantCulture) : "none")}"));
                    if (!r.Valid && r.Message is not null)
                    {
                        Console.WriteLine("  " + r.Message);
                    }

                    if (r.Revocation is { } revocation)
                    {
                        Console.WriteLine($"  level {r.Level ?? "-"}; {revocation}");
                    }
                }

                if (reports.Count == 0)
                {
                    Console.WriteLine("no signatures");
                }

                return reports.Count > 0 && reports.All(r => r.Valid) && reports[^1].CoversWholeDocument ? 0 : 1;
            }
            catch (Exception ex) when (ex is PdfFormatException or KeysException or IOException)
            {
                var code = ex switch
                {
                    PdfFormatException p => p.Code,
                    KeysException k => k.Code,
                    _ => "FILE_UNREADABLE",
                };
                await Console.Error.WriteLineAsync($"{code}: {ex.Message}");
                return 2;
            }
        });
        return command;
    }
}
