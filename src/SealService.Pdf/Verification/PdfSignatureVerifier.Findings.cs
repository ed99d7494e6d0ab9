using SealService.Keys.Revocation;

namespace SealService.Pdf.Verification;

/// <summary>What the verifier concludes from the signatures together: certification, revocation, level, modifications.</summary>
public sealed partial class PdfSignatureVerifier
{
    /// <summary>
    /// DocMDP P=1 allows no later signature (validation data and document time-stamps only, as PAdES says). Other
    /// changes P=2/P=3 would allow (filling form fields, annotating) are refused for every signature by the analysis.
    /// </summary>
    private static PdfSignatureReport WithCertification(PdfSignatureReport report, List<PdfSignatureReport> all)
    {
        if (report is not { CertificationPermissions: 1, Valid: true, SignedRevision: { } revision })
        {
            return report;
        }

        var added = all.Where(o => o.SignedRevision > revision && o.SubFilter != KeysCmsSignatureValidator.DocumentTimestamp)
            .Select(o => new RevisionChange(o.SignedRevision!.Value, 0, $"signature {o.FieldName} added, which the certification (DocMDP P=1) forbids"))
            .ToList();
        return added.Count == 0 ? report : WithModifications(report, [.. report.Modifications, .. added]);
    }

    private static string? LevelOf(PdfSignatureReport report, List<PdfSignatureReport> all)
    {
        if (!report.Valid || report.SubFilter == KeysCmsSignatureValidator.DocumentTimestamp)
        {
            return null;
        }

        if (report.TimestampTime is null)
        {
            return "B-B";
        }

        if (!report.LongTermData)
        {
            return "B-T";
        }

        return all.Any(t => t.Valid && t.SubFilter == KeysCmsSignatureValidator.DocumentTimestamp && t.SignedRevision > report.SignedRevision)
            ? "B-LTA"
            : "B-LT";
    }

    /// <summary>Revoked at or before the signing time invalidates; revoked later is a note; nothing embedded is "not checked".</summary>
    private async Task<PdfSignatureReport> WithRevocationAsync(PdfSignatureReport report, byte[] cms, DssContent dss, CancellationToken ct)
    {
        var at = report.TimestampTime ?? report.SigningTime ?? DateTimeOffset.UtcNow;
        var (finding, embedded) = await RevocationAtAsync(cms, at, dss, ct).ConfigureAwait(false);
        report = report with { Revocation = finding, LongTermData = embedded };
        if (finding.Status == RevocationFinding.Revoked)
        {
            return report with { Valid = false, Trusted = false, ErrorCode = SignatureErrorCodes.CertificateRevoked, Message = $"the signer certificate was {finding}" };
        }

        // The signature time-stamp proves the signing time only if its TSA certificate was not revoked when it was made.
        if (RevocationCheck.SignatureTimestamp(cms) is not var (token, time))
        {
            return report;
        }

        var (tsa, tsaEmbedded) = await RevocationAtAsync(token, time, dss, ct).ConfigureAwait(false);
        report = report with { TimestampRevocation = tsa, LongTermData = embedded && tsaEmbedded };
        return tsa.Status == RevocationFinding.Revoked
            ? report with { Valid = false, ErrorCode = SignatureErrorCodes.TimestampCertificateRevoked, Message = $"the time-stamp's TSA certificate was {tsa}" }
            : report;
    }

    /// <summary>
    /// The finding for the signer of <paramref name="cms"/> at <paramref name="at"/>: fetched now when allowed and
    /// answered (fresher: it also sees a revocation after signing), else from the DSS; and whether the DSS covers it.
    /// </summary>
    private async Task<(RevocationFinding Finding, bool Embedded)> RevocationAtAsync(byte[] cms, DateTimeOffset at, DssContent dss, CancellationToken ct)
    {
        var embedded = RevocationCheck.Evaluate(cms, at, dss.Ocsps, dss.Crls, dss.Certificates);
        var covered = embedded.Status is RevocationFinding.Good or RevocationFinding.RevokedAfterSigning;
        if (onlineRevocation is null || embedded.Status == RevocationFinding.Revoked)
        {
            return (embedded, covered);
        }

        var fetched = await RevocationCheck.FetchAsync(cms, at, dss.Certificates, onlineRevocation, ct).ConfigureAwait(false);
        return (fetched.Status == RevocationFinding.NotChecked ? embedded : fetched, covered);
    }

    private static PdfSignatureReport WithModifications(PdfSignatureReport report, IReadOnlyList<RevisionChange> changes) => changes.Count == 0
        ? report
        : report with
        {
            Valid = false,
            Modifications = changes,
            ErrorCode = SignatureErrorCodes.AlteredAfterSigning,
            Message = $"altered after signing: {string.Join("; ", changes.Take(5))}{(changes.Count > 5 ? $" (+{changes.Count - 5} more)" : "")}",
        };
}
