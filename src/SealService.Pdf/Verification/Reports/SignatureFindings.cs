using Org.BouncyCastle.Cms;
using SealService.Domain.Stamping;
using SealService.Keys.Cms;
using SealService.Keys.Verification;
using SealService.Pdf.Parsing;
using Asn1Oid = Org.BouncyCastle.Asn1.DerObjectIdentifier;

namespace SealService.Pdf.Verification.Reports;

/// <summary>
/// The signature-level half of the report, shared by every front end (the service adds the registry and ledger
/// checks; the offline CLI shows this alone): integrity, trust, coverage, changes after signing, the stated scope.
/// </summary>
public static class SignatureFindings
{
    private static readonly Asn1Oid ScopeOid = new(SealServiceOids.StampScopeAttribute);

    /// <summary>The document-level line for a file without any signature.</summary>
    public static VerificationCheck NoSignature { get; } =
        VerificationCheck.Failed("NO_SIGNATURE", "文件没有数字签名（未签章）", "the file carries no digital signature");

    /// <summary>The report on a file that cannot be read as a PDF: verdict unknown.</summary>
    public static VerificationReport Unreadable(string sha256, long sizeBytes, PdfFormatException e) => new()
    {
        Verdict = Verdicts.Unknown,
        Sha256 = sha256,
        SizeBytes = sizeBytes,
        Checks = [VerificationCheck.Failed("PDF_UNREADABLE", $"文件无法作为 PDF 读取：{e.Message}", $"the file cannot be read as a PDF: {e.Message}")],
    };

    /// <summary>What the revocation data (embedded, or fetched when allowed) said at the signing time; nothing when there was none (no claim either way).</summary>
    private static VerificationCheck? RevocationCheck(SealService.Keys.Revocation.RevocationFinding? r)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var china = TimeSpan.FromHours(8);
        return r?.Status switch
        {
            SealService.Keys.Revocation.RevocationFinding.Good => VerificationCheck.Passed("CERT_NOT_REVOKED",
                r.Fetched ? "签章时证书未被撤销（依据验证时查询的吊销信息）" : "签章时证书未被撤销（依据文件内嵌的吊销信息）", $"the certificate was not revoked at the signing time ({r.Source})"),
            SealService.Keys.Revocation.RevocationFinding.RevokedAfterSigning => VerificationCheck.Passed("CERT_REVOKED_AFTER_SIGNING",
                string.Create(inv, $"证书于 {r.RevokedAt!.Value.ToOffset(china):yyyy-MM-dd HH:mm}（北京时间）签章之后被撤销，不影响本次签章"),
                string.Create(inv, $"the certificate was revoked at {r.RevokedAt:u}, after the signing time: this signature stays valid ({r.Source})")),
            SealService.Keys.Revocation.RevocationFinding.Revoked => VerificationCheck.Failed("CERT_REVOKED",
                string.Create(inv, $"签章时证书已被撤销（{r.RevokedAt!.Value.ToOffset(china):yyyy-MM-dd HH:mm} 北京时间）"),
                string.Create(inv, $"the certificate was revoked at {r.RevokedAt:u}, before the signing time ({r.Source})")),
            _ => null,
        };
    }

    /// <summary>The signature time-stamp's TSA certificate at the time-stamp's time; nothing when there was no data.</summary>
    private static VerificationCheck? TimestampRevocationCheck(SealService.Keys.Revocation.RevocationFinding? r) => r?.Status switch
    {
        SealService.Keys.Revocation.RevocationFinding.Good or SealService.Keys.Revocation.RevocationFinding.RevokedAfterSigning =>
            VerificationCheck.Passed("TIMESTAMP_CERT_NOT_REVOKED", "时间戳服务证书在盖时间戳时未被撤销", $"the TSA certificate was not revoked when it time-stamped ({r})"),
        SealService.Keys.Revocation.RevocationFinding.Revoked =>
            VerificationCheck.Failed("TIMESTAMP_CERT_REVOKED", "时间戳服务证书在盖时间戳前已被撤销，签章时间不能证实", $"the TSA certificate was {r}: the time-stamp proves nothing"),
        _ => null,
    };

    public static SignatureFinding From(PdfSignatureReport s)
    {
        var checks = new List<VerificationCheck>();
        var coverage = s.Coverage switch
        {
            SignatureCoverage.EntireFile => "entire-file",
            SignatureCoverage.EntireRevision => "entire-revision",
            _ => "unclear",
        };
        if (s.Modifications.Count > 0)
        {
            checks.Add(VerificationCheck.Failed("ALTERED_AFTER_SIGNING", $"签名后文件被修改：{string.Join("；", s.Modifications.Take(3))}",
                $"changed after signing: {string.Join("; ", s.Modifications.Take(3))}"));
        }
        else if (!s.Intact)
        {
            checks.Add(VerificationCheck.Failed("SIGNATURE_NOT_INTACT", $"签名与文件内容不符（{s.ErrorCode}）", $"the signature does not match the signed bytes ({s.ErrorCode}: {s.Message})"));
        }
        else
        {
            checks.Add(VerificationCheck.Passed("SIGNATURE_INTACT", "签名完整，签名覆盖的内容未被改动", "the signature holds over the bytes it covers"));
            checks.Add(s.Trusted
                ? VerificationCheck.Passed("SIGNER_TRUSTED", "签章证书链可追溯到受信任的根证书", "the signer's certificate chains to a trust anchor")
                : VerificationCheck.Warning("SIGNER_NOT_TRUSTED", $"签名人的证书不在信任范围内（{s.ErrorCode}）", $"the signer is not trusted here ({s.ErrorCode})"));
        }

        if (s.Intact && s.Trusted && s.TimestampTime is { } stamped)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            checks.Add(VerificationCheck.Passed("TIMESTAMP_VALID",
                string.Create(inv, $"签名时间戳有效，签章时间 {stamped.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss}（北京时间）"),
                string.Create(inv, $"the signature time-stamp holds: signed at {stamped:u}")));
        }

        if (RevocationCheck(s.Revocation) is { } revocation)
        {
            checks.Add(revocation);
        }

        if (TimestampRevocationCheck(s.TimestampRevocation) is { } tsa)
        {
            checks.Add(tsa);
        }

        if (s.ProfileIssues.Contains(VerificationCodes.AlgorithmWeak))
        {
            checks.Add(VerificationCheck.Warning("SIGNATURE_ALGORITHM_WEAK", "签名使用 SHA-1 摘要算法，已不足以防止伪造", "the signature uses SHA-1, no longer safe against forgery"));
        }

        var baseline = s.ProfileIssues.Where(i => i != VerificationCodes.AlgorithmWeak).ToList();
        if (baseline.Count > 0)
        {
            checks.Add(VerificationCheck.Warning("PROFILE_NOT_PADES_BASELINE", $"签名声明为 PAdES 但不符合基线要求（{string.Join("、", baseline)}）",
                $"declared ETSI.CAdES.detached but not PAdES baseline ({string.Join(", ", baseline)})"));
        }

        var scope = ReadScope(s.Cms);
        var finding = new SignatureFinding
        {
            Field = s.FieldName,
            Intact = s.Intact,
            Trusted = s.Trusted,
            Coverage = coverage,
            Modifications = [.. s.Modifications.Select(m => m.ToString())],
            Profile = ProfileOf(s),
            Signer = s.SignerSubject,
            SigningTime = s.TimestampTime ?? s.SigningTime,
            SigningTimeSource = s.TimestampTime is not null ? "timestamp" : s.SigningTime is not null ? "claimed" : null,
            Scope = scope,
            Level = s.Level,
            ErrorCode = s.ErrorCode,
        };
        return finding with { Checks = checks };
    }

    /// <summary>
    /// altered if any signature's revision was changed in a way signing does not allow; invalid if a signature is not
    /// intact, a SealService seal's signature fails a check, or no signature is trusted; warnings make valid-with-warnings.
    /// </summary>
    public static string Verdict(IReadOnlyList<SignatureFinding> findings, IReadOnlyList<VerificationCheck> checks)
    {
        if (findings.Count == 0)
        {
            return checks.Any(c => c.Status == VerificationCheck.Fail) ? Verdicts.Invalid : Verdicts.Unknown;
        }

        if (findings.Any(f => f.Modifications.Count > 0))
        {
            return Verdicts.Altered;
        }

        // Our seal's signatures must hold entirely; another signer's only needs to be intact (its root may be foreign).
        var ours = findings.Where(f => f.Scope is not null).ToList();
        if (findings.Any(f => !f.Intact) || ours.Any(f => !f.Trusted || f.Checks.Any(c => c.Status == VerificationCheck.Fail))
            || (ours.Count == 0 && findings.All(f => !f.Trusted)))
        {
            return Verdicts.Invalid;
        }

        var warned = checks.Concat(findings.SelectMany(f => f.Checks)).Any(c => c.Status != VerificationCheck.Pass);
        return warned ? Verdicts.ValidWithWarnings : Verdicts.Valid;
    }

    /// <summary>PAdES-baseline-T when a trusted signature time-stamp holds, PAdES-baseline (B-B), else the SubFilter's own.</summary>
    private static string? ProfileOf(PdfSignatureReport s) =>
        s.SubFilter != "ETSI.CAdES.detached" || s.ProfileIssues.Count > 0 ? s.SubFilter
        : s.TimestampTime is not null && s.Trusted ? "PAdES-baseline-T"
        : "PAdES-baseline";

    /// <summary>The stamp-scope signed attribute, when the first signer carries one (a SealService seal's signature).</summary>
    public static StampScope? ReadScope(byte[]? cms)
    {
        if (cms is null)
        {
            return null;
        }

        try
        {
            var signer = new CmsSignedData(cms).GetSignerInfos().GetSigners().FirstOrDefault();
            var attribute = signer?.SignedAttributes?[ScopeOid];
            return attribute is null || attribute.AttrValues.Count != 1 ? null : StampScopeAttribute.Decode(attribute.AttrValues[0].GetEncoded());
        }
        catch (Exception e) when (e is CmsException or IOException or ArgumentException or InvalidCastException or Org.BouncyCastle.Asn1.Asn1Exception or FormatException)
        {
            return null;
        }
    }

}
