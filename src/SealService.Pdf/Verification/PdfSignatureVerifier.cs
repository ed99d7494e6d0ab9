using System.Globalization;
using SealService.Keys.Revocation;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Verification;

/// <summary>
/// Finds every signature field of a PDF, checks its ByteRange against the file, and has the CMS checked
/// over exactly those bytes (streamed from the file, never loaded whole). Revocation comes from the document's DSS
/// (offline) unless <paramref name="onlineRevocation"/> is given: then an answer fetched now comes first.
/// </summary>
public sealed partial class PdfSignatureVerifier(ICmsSignatureValidator cmsValidator, IRevocationClient? onlineRevocation = null)
{
    private const int MaxFieldDepth = 32;
    private const int MaxFields = 10_000;

    public async Task<IReadOnlyList<PdfSignatureReport>> VerifyAsync(Stream pdf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var reader = PdfFileReader.Open(pdf);
        var analysis = new ModificationAnalysis(reader);
        var reports = new List<PdfSignatureReport>();
        var dss = new Lazy<DssContent>(() => DssContent.Read(reader));
        foreach (var (name, value, sig) in SignatureFields(reader))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var report = await VerifyOneAsync(reader, pdf, name, value, sig, cancellationToken).ConfigureAwait(false);
            report = DocMdp.Permissions(reader, sig["Reference"]) is > 0 and var p ? report with { CertificationPermissions = (int)p } : report;
            report = report.SignedRevision is { } revision && report.ErrorCode is null ? WithModifications(report, analysis.After(revision)) : report;
            reports.Add(report.Valid && report.Cms is { } cms ? await WithRevocationAsync(report, cms, dss.Value, cancellationToken).ConfigureAwait(false) : report);
        }

        return reports.Select(r => WithCertification(r, reports)).Select(r => r with { Level = LevelOf(r, reports) }).ToList();
    }

    private async Task<PdfSignatureReport> VerifyOneAsync(PdfFileReader reader, Stream pdf, string name, PdfObject value, PdfDictionary sig, CancellationToken ct)
    {
        var report = new PdfSignatureReport
        {
            FieldName = name,
            FileLength = reader.Length,
            SubFilter = (sig["SubFilter"] as PdfName)?.Value,
            SigningTime = ParseDate((reader.Resolve(sig["M"]) as PdfString)?.Text),
        };

        if (reader.Revisions.Any(r => r.IsHybrid))
        {
            return report with { ErrorCode = SignatureErrorCodes.Ambiguous, Message = "hybrid cross-reference file: readers may show different documents" };
        }

        // Direct values only: an indirect ByteRange or Contents could be redefined outside the signed bytes.
        if (sig["ByteRange"] is not PdfArray { Count: 4 } array
            || array.Items.Any(i => i is not PdfNumber { IsInteger: true, LongValue: >= 0 }))
        {
            return report with { ErrorCode = SignatureErrorCodes.ByteRangeInvalid, Message = "ByteRange is not four direct non-negative integers" };
        }

        var r = array.Items.Cast<PdfNumber>().Select(n => n.LongValue).ToArray();
        report = report with { ByteRange = r };
        if (sig["Contents"] is not PdfString { IsHex: true, Bytes.Length: > 0 } contents)
        {
            return report with { ErrorCode = SignatureErrorCodes.ContentsInvalid, Message = "signature has no direct hex /Contents" };
        }

        // Overflow-safe: no sums of untrusted numbers, only comparisons against the file length.
        var (a, b, c) = (r[1], r[2], r[3]);
        if (r[0] != 0 || a <= 0 || b <= a || b > reader.Length || c > reader.Length - b
            || b - a - 2 != 2L * contents.Bytes.Length
            || reader.ReadBytes(a, 1)[0] != '<' || reader.ReadBytes(b - 1, 1)[0] != '>')
        {
            return report with { ErrorCode = SignatureErrorCodes.ByteRangeInvalid, Message = "ByteRange does not frame the /Contents string" };
        }

        var signedEnd = b + c;
        report = report with { CoveredBytes = a + c, CoversWholeDocument = signedEnd == reader.Length };
        if (FramingProblem(reader, value, a, b, signedEnd) is { } problem)
        {
            return report with { ErrorCode = SignatureErrorCodes.ByteRangeInvalid, Message = problem };
        }

        var revision = reader.Revisions.FirstOrDefault(v => v.EndOffset >= 0 && signedEnd <= v.EndOffset && signedEnd >= v.EndOffset - 2 && EndsAtEof(reader, signedEnd));
        if (revision is null)
        {
            return report with
            {
                Coverage = SignatureCoverage.Unclear,
                ErrorCode = SignatureErrorCodes.CoverageUnclear,
                Message = "the signed bytes do not end where a revision ends",
            };
        }

        report = report with
        {
            SignedRevision = revision.Index,
            Coverage = revision.Index == reader.Revisions.Count - 1 ? SignatureCoverage.EntireFile : SignatureCoverage.EntireRevision,
        };
        var cms = TrimDer(contents.Bytes);
        if (cms is null)
        {
            return report with { ErrorCode = SignatureErrorCodes.ContentsInvalid, Message = "/Contents is not a DER-encoded CMS" };
        }

        if (contents.Bytes.AsSpan(cms.Length).ContainsAnyExcept((byte)0))
        {
            return report with { ErrorCode = SignatureErrorCodes.ContentsInvalid, Message = "/Contents has bytes other than zero padding after the CMS" };
        }

        await using var signed = new ByteRangeStream(pdf, [(0, a), (b, c)]);
        var result = await cmsValidator.ValidateAsync(cms, signed, report.SubFilter, ct).ConfigureAwait(false);
        return report with
        {
            Valid = result.Valid,
            Intact = result.Intact,
            Trusted = result.Trusted,
            ProfileIssues = result.ProfileIssues,
            Cms = cms,
            SignerSubject = result.SignerSubject,
            TimestampTime = result.TimestampTime,
            ErrorCode = result.Valid ? null : result.ErrorCode,
            Message = result.Message,
        };
    }

    /// <summary>
    /// The gap must be this dictionary's own /Contents, and the dictionary (with its ByteRange) must lie inside the
    /// signed bytes: otherwise the signed bytes could carry one dictionary and the reader show another.
    /// </summary>
    private static string? FramingProblem(PdfFileReader reader, PdfObject value, long a, long b, long signedEnd)
    {
        if (value is not PdfReference reference || reader.EntryAt(reader.Revisions.Count - 1, reference.Id.Number) is not { Kind: XrefEntryKind.InFile } entry)
        {
            return "the signature dictionary is not an indirect object stored in the file";
        }

        var (values, end) = reader.DictionaryLayout(entry.Offset);
        if (!values.TryGetValue("Contents", out var gap) || gap.From != a || gap.To != b)
        {
            return "the ByteRange gap is not this signature dictionary's /Contents";
        }

        if (end > signedEnd || !values.TryGetValue("ByteRange", out var range) || (range.From >= a && range.To <= b))
        {
            return "the signature dictionary or its ByteRange lies outside the signed bytes";
        }

        return null;
    }

    /// <summary>The signed bytes stop at a <c>%%EOF</c> marker, with at most its end of line.</summary>
    private static bool EndsAtEof(PdfFileReader reader, long signedEnd)
    {
        var count = (int)Math.Min(7, signedEnd);
        var tail = reader.ReadBytes(signedEnd - count, count).AsSpan().TrimEnd("\r\n"u8);
        return tail.EndsWith("%%EOF"u8);
    }

    /// <summary>
    /// Signature fields (with their full names) whose /V is a signature dictionary, in every revision, newest first: a
    /// later update that hides a signature (a re-pointed /Root, a field removed) must not make it disappear from the report.
    /// </summary>
    private static List<(string Name, PdfObject Value, PdfDictionary Signature)> SignatureFields(PdfFileReader reader)
    {
        var found = new List<(string Name, PdfObject Value, PdfDictionary Signature)>();
        var values = new HashSet<int>();
        for (var revision = reader.Revisions.Count - 1; revision >= 0; revision--)
        {
            var inRevision = new List<(string, PdfObject, PdfDictionary)>();
            var rev = revision;
            PdfObject? Resolve(PdfObject? o) => reader.ResolveAt(rev, o);
            var catalog = reader.ResolveDictionaryAt(revision, reader.Revisions[revision].Trailer["Root"]);
            var form = catalog is null ? null : reader.ResolveDictionaryAt(revision, catalog["AcroForm"]);
            if (Resolve(form?["Fields"]) is PdfArray fields)
            {
                var seen = new HashSet<int>();
                foreach (var f in fields.Items)
                {
                    Walk(reader, revision, f, null, null, 0, seen, inRevision);
                }
            }

            foreach (var item in inRevision)
            {
                if (item.Item2 is not PdfReference r || values.Add(r.Id.Number))
                {
                    found.Add(item);
                }
            }
        }

        // Oldest signature first, as the revisions were written.
        found.Sort((x, y) => SignedEnd(x.Signature).CompareTo(SignedEnd(y.Signature)));
        return found;
    }

    private static long SignedEnd(PdfDictionary sig) =>
        sig["ByteRange"] is PdfArray { Count: 4 } r && r[2] is PdfNumber b && r[3] is PdfNumber c && b.LongValue >= 0 && c.LongValue >= 0
            ? (b.LongValue > long.MaxValue - c.LongValue ? long.MaxValue : b.LongValue + c.LongValue)
            : long.MaxValue;

    private static void Walk(PdfFileReader reader, int revision, PdfObject item, string? parentName, string? inheritedType, int depth,
        HashSet<int> seen, List<(string, PdfObject, PdfDictionary)> found)
    {
        if (depth > MaxFieldDepth || seen.Count > MaxFields || (item is PdfReference r && !seen.Add(r.Id.Number)))
        {
            return;
        }

        var field = reader.ResolveDictionaryAt(revision, item);
        if (field is null)
        {
            return;
        }

        var partial = (reader.ResolveAt(revision, field["T"]) as PdfString)?.Text;
        var name = partial is null ? parentName : parentName is null ? partial : parentName + "." + partial;
        var type = (reader.ResolveAt(revision, field["FT"]) as PdfName)?.Value ?? inheritedType;
        if (type == "Sig" && field["V"] is { } value && reader.ResolveDictionaryAt(revision, value) is { } sig)
        {
            found.Add((name ?? "(unnamed)", value, sig));
        }

        if (reader.ResolveAt(revision, field["Kids"]) is PdfArray kids)
        {
            foreach (var kid in kids.Items)
            {
                Walk(reader, revision, kid, name, type, depth + 1, seen, found);
            }
        }
    }

    /// <summary>
    /// The CMS without the zero padding that fills the rest of the placeholder: the first BER/DER element, definite or
    /// indefinite length (other products write BER), bounded in depth; null if it is not a complete SEQUENCE.
    /// </summary>
    internal static byte[]? TrimDer(byte[] data)
    {
        if (data.Length < 2 || data[0] != 0x30)
        {
            return null;
        }

        var end = ElementEnd(data, 0, 0);
        return end < 0 ? null : data[..end];
    }

    /// <summary>Index after the BER element starting at <paramref name="at"/>, or -1 when malformed.</summary>
    internal static int BerElementEnd(byte[] data, int at) => ElementEnd(data, at, 0);

    /// <summary>Index after the BER element at <paramref name="at"/>, or -1 when malformed or truncated.</summary>
    private static int ElementEnd(byte[] data, int at, int depth)
    {
        if (depth > 64 || at + 2 > data.Length)
        {
            return -1;
        }

        var tag = data[at];
        var p = at + 1;
        if ((tag & 0x1F) == 0x1F)
        {
            // High tag number form: continuation bytes.
            while (p < data.Length && (data[p] & 0x80) != 0 && p - at < 6)
            {
                p++;
            }

            p++;
        }

        if (p >= data.Length)
        {
            return -1;
        }

        var first = data[p++];
        if (first == 0x80)
        {
            // Indefinite length: constructed only, elements up to the end-of-contents octets 00 00.
            if ((tag & 0x20) == 0)
            {
                return -1;
            }

            while (p + 1 < data.Length && !(data[p] == 0 && data[p + 1] == 0))
            {
                p = ElementEnd(data, p, depth + 1);
                if (p < 0)
                {
                    return -1;
                }
            }

            return p + 1 < data.Length ? p + 2 : -1;
        }

        long length;
        if (first < 0x80)
        {
            length = first;
        }
        else
        {
            var n = first & 0x7F;
            if (n > 4 || p + n > data.Length)
            {
                return -1;
            }

            length = 0;
            for (var i = 0; i < n; i++)
            {
                length = (length << 8) | data[p++];
            }
        }

        return length <= data.Length - p ? (int)(p + length) : -1;
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
