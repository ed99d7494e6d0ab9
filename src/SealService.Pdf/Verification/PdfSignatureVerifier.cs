using System.Globalization;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Verification;

/// <summary>
/// Finds every signature field of a PDF, checks its ByteRange against the file, and has the CMS checked
/// over exactly those bytes (streamed from the file, never loaded whole).
/// </summary>
public sealed class PdfSignatureVerifier(ICmsSignatureValidator cmsValidator)
{
    private const int MaxFieldDepth = 32;
    private const int MaxFields = 10_000;

    public async Task<IReadOnlyList<PdfSignatureReport>> VerifyAsync(Stream pdf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var reader = PdfFileReader.Open(pdf);
        var reports = new List<PdfSignatureReport>();
        foreach (var (name, sig) in SignatureFields(reader))
        {
            cancellationToken.ThrowIfCancellationRequested();
            reports.Add(await VerifyOneAsync(reader, pdf, name, sig, cancellationToken).ConfigureAwait(false));
        }

        return reports;
    }

    private async Task<PdfSignatureReport> VerifyOneAsync(PdfFileReader reader, Stream pdf, string name, PdfDictionary sig, CancellationToken ct)
    {
        var report = new PdfSignatureReport
        {
            FieldName = name,
            FileLength = reader.Length,
            SubFilter = (sig["SubFilter"] as PdfName)?.Value,
            SigningTime = ParseDate((reader.Resolve(sig["M"]) as PdfString)?.Text),
        };

        if (reader.Resolve(sig["ByteRange"]) is not PdfArray { Count: 4 } array
            || array.Items.Any(i => i is not PdfNumber { IsInteger: true, LongValue: >= 0 }))
        {
            return report with { ErrorCode = SignatureErrorCodes.ByteRangeInvalid, Message = "ByteRange is not four non-negative integers" };
        }

        var r = array.Items.Cast<PdfNumber>().Select(n => n.LongValue).ToArray();
        report = report with { ByteRange = r };
        if (reader.Resolve(sig["Contents"]) is not PdfString { Bytes.Length: > 0 } contents)
        {
            return report with { ErrorCode = SignatureErrorCodes.ContentsInvalid, Message = "signature has no /Contents" };
        }

        // The gap must be exactly this dictionary's /Contents hex string, and both ranges inside the file.
        var (a, b, c) = (r[1], r[2], r[3]);
        if (r[0] != 0 || a <= 0 || b <= a || b + c > reader.Length
            || b - a - 2 != 2L * contents.Bytes.Length
            || reader.ReadBytes(a, 1)[0] != '<' || reader.ReadBytes(b - 1, 1)[0] != '>')
        {
            return report with { ErrorCode = SignatureErrorCodes.ByteRangeInvalid, Message = "ByteRange does not frame the /Contents string" };
        }

        report = report with { CoveredBytes = a + c, CoversWholeDocument = b + c == reader.Length };
        var cms = TrimDer(contents.Bytes);
        if (cms is null)
        {
            return report with { ErrorCode = SignatureErrorCodes.ContentsInvalid, Message = "/Contents is not a DER-encoded CMS" };
        }

        await using var signed = new ByteRangeStream(pdf, [(0, a), (b, c)]);
        var result = await cmsValidator.ValidateAsync(cms, signed, ct).ConfigureAwait(false);
        return report with
        {
            Valid = result.Valid,
            SignerSubject = result.SignerSubject,
            TimestampTime = result.TimestampTime,
            ErrorCode = result.Valid ? null : result.ErrorCode,
            Message = result.Message,
        };
    }

    /// <summary>Signature fields (with their full names) whose /V is a signature dictionary.</summary>
    private static List<(string Name, PdfDictionary Signature)> SignatureFields(PdfFileReader reader)
    {
        var found = new List<(string, PdfDictionary)>();
        var catalog = PdfPageTree.Catalog(reader);
        var form = reader.ResolveDictionary(catalog["AcroForm"]);
        if (reader.Resolve(form?["Fields"]) is not PdfArray fields)
        {
            return found;
        }

        var seen = new HashSet<int>();
        foreach (var f in fields.Items)
        {
            Walk(reader, f, null, null, 0, seen, found);
        }

        return found;
    }

    private static void Walk(PdfFileReader reader, PdfObject item, string? parentName, string? inheritedType, int depth,
        HashSet<int> seen, List<(string, PdfDictionary)> found)
    {
        if (depth > MaxFieldDepth || seen.Count > MaxFields || (item is PdfReference r && !seen.Add(r.Id.Number)))
        {
            return;
        }

        var field = reader.ResolveDictionary(item);
        if (field is null)
        {
            return;
        }

        var partial = (reader.Resolve(field["T"]) as PdfString)?.Text;
        var name = partial is null ? parentName : parentName is null ? partial : parentName + "." + partial;
        var type = (reader.Resolve(field["FT"]) as PdfName)?.Value ?? inheritedType;
        if (type == "Sig" && reader.ResolveDictionary(field["V"]) is { } sig)
        {
            found.Add((name ?? "(unnamed)", sig));
        }

        if (reader.Resolve(field["Kids"]) is PdfArray kids)
        {
            foreach (var kid in kids.Items)
            {
                Walk(reader, kid, name, type, depth + 1, seen, found);
            }
        }
    }

    /// <summary>The CMS without the zero padding that fills the rest of the placeholder.</summary>
    internal static byte[]? TrimDer(byte[] data)
    {
        if (data.Length < 2 || data[0] != 0x30)
        {
            return null;
        }

        long length;
        var header = 2;
        if (data[1] < 0x80)
        {
            length = data[1];
        }
        else
        {
            var n = data[1] & 0x7F;
            if (n is 0 or > 4 || data.Length < 2 + n)
            {
                return null;
            }

            length = 0;
            for (var i = 0; i < n; i++)
            {
                length = (length << 8) | data[2 + i];
            }

            header += n;
        }

        var total = header + length;
        return total > data.Length ? null : data[..(int)total];
    }

    /// <summary>Parses a PDF date (D:YYYYMMDDHHmmSSOHH'mm'); partial dates and missing zones are accepted.</summary>
    internal static DateTimeOffset? ParseDate(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var s = text.StartsWith("D:", StringComparison.Ordinal) ? text[2..] : text;
        if (s.Length < 4 || !s[..4].All(char.IsAsciiDigit))
        {
            return null;
        }

        var digits = new string(s.TakeWhile(char.IsAsciiDigit).ToArray());
        int Part(int start, int len, int dflt) => digits.Length >= start + len
            ? int.Parse(digits.AsSpan(start, len), CultureInfo.InvariantCulture) : dflt;
        var offset = TimeSpan.Zero;
        var rest = s[digits.Length..];
        if (rest.Length >= 3 && rest[0] is '+' or '-')
        {
            var zone = rest[1..].Replace("'", string.Empty, StringComparison.Ordinal);
            if (zone.Length >= 2 && int.TryParse(zone.AsSpan(0, 2), CultureInfo.InvariantCulture, out var hh))
            {
                var mm = zone.Length >= 4 && int.TryParse(zone.AsSpan(2, 2), CultureInfo.InvariantCulture, out var m) ? m : 0;
                offset = new TimeSpan(hh, mm, 0) * (rest[0] == '-' ? -1 : 1);
            }
        }

        try
        {
            return new DateTimeOffset(Part(0, 4, 1), Part(4, 2, 1), Part(6, 2, 1), Part(8, 2, 0), Part(10, 2, 0), Part(12, 2, 0), offset);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
