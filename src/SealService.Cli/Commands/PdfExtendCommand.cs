using System.CommandLine;
using SealService.Keys;
using SealService.Keys.Pki;
using SealService.Keys.Revocation;
using SealService.Keys.Tsa;
using SealService.Pdf.Parsing;
using SealService.Pdf.Signing;

namespace SealService.Cli.Commands;

/// <summary>
/// <c>sealctl pdf extend</c>: raise a signed PDF to PAdES B-LT (a DSS with the newest signature's OCSP answers or CRLs,
/// fetched from the URLs in its certificates) or B-LTA (that, then a document time-stamp). Run B-LTA again before the
/// last time-stamp's certificate expires: each run adds validation data for it and a new time-stamp over everything.
/// </summary>
public static class PdfExtendCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--in") { Description = "Signed PDF", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Extended PDF to write", Required = true };
        var level = new Option<string>("--level") { Description = "B-LT or B-LTA (default)", DefaultValueFactory = _ => "B-LTA" };
        var tsaUrl = new Option<string>("--tsa-url") { Description = "RFC 3161 TSA for the document time-stamp (default: the development TSA of --pki)" };
        var pki = new Option<DirectoryInfo>("--pki") { Description = "Development PKI folder with tsa.p12", DefaultValueFactory = _ => new DirectoryInfo("certs-dev") };
        var passphrase = new Option<string>("--passphrase") { Description = "PKCS#12 passphrase of the dev TSA (default: $SEALSERVICE_KEY_PASSPHRASE, else the dev one)" };
        var ocspUrl = new Option<string>("--ocsp-url") { Description = "The CA's OCSP responder for certificates that name none (e.g. a TSA certificate)" };
        var crlUrl = new Option<string>("--crl-url") { Description = "The CA's CRL for certificates that name none" };
        var command = new Command("extend", "Add long-term validation data (B-LT) and an archive time-stamp (B-LTA) to a signed PDF");
        foreach (var o in new Option[] { input, output, level, tsaUrl, pki, passphrase, ocspUrl, crlUrl })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var archive = parse.GetValue(level)!.Trim().ToUpperInvariant() switch
                {
                    "B-LT" => false,
                    "B-LTA" => true,
                    var other => throw new ArgumentException($"unknown level '{other}' (B-LT or B-LTA)"),
                };
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
                var outFile = parse.GetValue(output)!;
                var temp = outFile.FullName + ".partial";
                try
                {
                    await using var source = File.OpenRead(parse.GetValue(input)!.FullName);
                    await using var lt = new FileStream(temp + ".lt", FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
                    var client = new HttpRevocationClient(http, Keys.Pki.RevocationUrls.Of(parse.GetValue(crlUrl), parse.GetValue(ocspUrl)));
                    var added = await PdfValidationData.AppendAsync(source, lt, (cms, c) => ValidationDataCollector.CollectAsync(cms, client, [], c), ct);
                    lt.Position = 0;
                    await using (var o = File.Create(temp))
                    {
                        if (archive)
                        {
                            var tsa = parse.GetValue(tsaUrl) is { Length: > 0 } url
                                ? (ITimeStampAuthority)new HttpTimeStampAuthority(http, new TimeStampOptions { Url = url })
                                : new DevPki(parse.GetValue(pki)!.FullName, parse.GetValue(passphrase) ?? Environment.GetEnvironmentVariable("SEALSERVICE_KEY_PASSPHRASE") ?? DevPki.DefaultPassphrase)
                                    .CreateTimeStampAuthority();
                            await PdfDocumentTimestamp.AddAsync(lt, o, tsa, ct);
                        }
                        else
                        {
                            await lt.CopyToAsync(o, ct);
                        }
                    }

                    File.Move(temp, outFile.FullName, overwrite: true);
                    Console.WriteLine($"Extended {outFile.FullName} to {(archive ? "B-LTA" : "B-LT")}: for signature {added.FieldName}, {added.Certificates} certificates, "
                        + $"{added.OcspResponses} OCSP answers, {added.Crls} CRLs{(archive ? ", and a document time-stamp" : "")}");
                    return 0;
                }
                finally
                {
                    File.Delete(temp);
                }
            }
            catch (Exception ex) when (PdfSignCommand.ErrorCode(ex) is { } code)
            {
                await Console.Error.WriteLineAsync($"{code}: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
