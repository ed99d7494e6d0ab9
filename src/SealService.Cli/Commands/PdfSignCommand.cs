using System.CommandLine;
using System.Globalization;
using SealService.Keys;
using SealService.Keys.Cms;
using SealService.Keys.Pki;
using SealService.Keys.Tsa;
using SealService.Pdf.Parsing;
using SealService.Pdf.Signing;

namespace SealService.Cli.Commands;

/// <summary><c>sealctl pdf sign</c>: add a visible PAdES signature to a PDF, offline.</summary>
public static class PdfSignCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--in") { Description = "PDF to sign", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Signed PDF to write", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "Seal key and certificate (PKCS#12), e.g. certs-dev/seals/<id>.p12", Required = true };
        var passphrase = new Option<string>("--passphrase")
        {
            Description = $"PKCS#12 passphrase (default: $SEALSERVICE_KEY_PASSPHRASE, else the dev passphrase '{DevPki.DefaultPassphrase}')",
        };
        var level = new Option<string>("--level") { Description = "B-B (default) or B-T (adds a signature time-stamp)", DefaultValueFactory = _ => "B-B" };
        var page = new Option<int>("--page") { Description = "1-based page for the seal (default: last page)" };
        var rect = new Option<string>("--rect") { Description = "Seal rectangle x,y,w,h in PDF points (default: bottom right)" };
        var image = new Option<FileInfo>("--seal-image") { Description = "PNG shown in the signature widget" };
        var reason = new Option<string>("--reason") { Description = "Reason written into the signature" };
        var location = new Option<string>("--location") { Description = "Location written into the signature" };
        var tsaUrl = new Option<string>("--tsa-url") { Description = "RFC 3161 TSA for B-T (default: the built-in development TSA)" };
        var pki = new Option<DirectoryInfo>("--pki")
        {
            Description = "Development PKI folder holding tsa.p12 for the dev TSA (default: the key's folder or its parent)",
        };

        var command = new Command("sign", "Sign a PDF as an incremental update (PAdES, SubFilter ETSI.CAdES.detached)");
        foreach (var o in new Option[] { input, output, key, passphrase, level, page, rect, image, reason, location, tsaUrl, pki })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var pass = parse.GetValue(passphrase) ?? Environment.GetEnvironmentVariable("SEALSERVICE_KEY_PASSPHRASE") ?? DevPki.DefaultPassphrase;
                var padesLevel = ParseLevel(parse.GetValue(level)!);
                var keyFile = parse.GetValue(key)!;
                using var http = new HttpClient();
                var tsa = padesLevel != PadesLevel.BaselineT ? null
                    : parse.GetValue(tsaUrl) is { Length: > 0 } url ? new HttpTimeStampAuthority(http, new TimeStampOptions { Url = url })
                    : DevTsa(parse.GetValue(pki), keyFile, pass);
                var creator = CadesSignatureCreator.FromPkcs12(keyFile.FullName, pass, tsa);
                var options = new SignatureOptions
                {
                    Level = padesLevel,
                    Page = parse.GetValue(page),
                    Rect = parse.GetValue(rect) is { } r ? ParseRect(r) : null,
                    Appearance = parse.GetValue(image) is { } png ? SealAppearance.FromPng(await File.ReadAllBytesAsync(png.FullName, ct)) : null,
                    Reason = parse.GetValue(reason),
                    Location = parse.GetValue(location),
                    Name = creator.SignerCertificate.SubjectDN.GetValueList(Org.BouncyCastle.Asn1.X509.X509Name.CN).FirstOrDefault(),
                };

                var outFile = parse.GetValue(output)!;
                var temp = outFile.FullName + ".partial";
                SignResult result;
                try
                {
                    await using (var i = File.OpenRead(parse.GetValue(input)!.FullName))
                    await using (var o = File.Create(temp))
                    {
                        result = await PdfSigner.SignAsync(i, o, creator, options, ct);
                    }

                    File.Move(temp, outFile.FullName, overwrite: true);
                }
                finally
                {
                    File.Delete(temp); // no half-written output is left behind
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Signed {outFile.FullName}: field {result.FieldName}, page {result.Page}, CMS {result.SignatureSize} bytes, ByteRange [{string.Join(' ', result.ByteRange)}]"));
                return 0;
            }
            catch (Exception ex) when (ErrorCode(ex) is { } code)
            {
                await Console.Error.WriteLineAsync($"{code}: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The stable code sealctl's PDF commands print for a failure they expect; null for a bug.</summary>
    internal static string? ErrorCode(Exception ex) => ex switch
    {
        PdfFormatException e => e.Code,
        PdfSigningException e => e.Code,
        KeysException e => e.Code,
        FileNotFoundException or DirectoryNotFoundException => "FILE_NOT_FOUND",
        ArgumentException => "ARGUMENT_INVALID",
        HttpRequestException or TaskCanceledException => "REVOCATION_UNAVAILABLE", // an OCSP responder or CRL server that does not answer
        _ => null,
    };

    private static PadesLevel ParseLevel(string value) => value.Trim().ToUpperInvariant() switch
    {
        "B-B" or "B" => PadesLevel.BaselineB,
        "B-T" or "T" => PadesLevel.BaselineT,
        _ => throw new ArgumentException($"unknown level '{value}' (B-B or B-T)"),
    };

    internal static PdfRect ParseRect(string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            throw new PdfSigningException(PdfSigningException.RectInvalid, "--rect must be x,y,w,h in points");
        }

        var v = parts.Select(p => double.Parse(p, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        return new PdfRect(v[0], v[1], v[2], v[3]);
    }

    /// <summary>The built-in development TSA of the PKI the key comes from.</summary>
    private static ITimeStampAuthority DevTsa(DirectoryInfo? pki, FileInfo keyFile, string passphrase)
    {
        var candidates = pki is not null ? [pki.FullName] : new[] { keyFile.DirectoryName!, Path.GetDirectoryName(keyFile.DirectoryName!)! };
        var dir = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, DevPki.TsaFile + ".p12")))
            ?? throw new ArgumentException("B-T needs a TSA: no tsa.p12 next to the key; pass --pki DIR or --tsa-url URL");
        return new DevPki(dir, passphrase).CreateTimeStampAuthority();
    }
}
