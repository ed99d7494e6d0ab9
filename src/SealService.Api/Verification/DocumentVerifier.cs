using System.Security.Cryptography;
using Org.BouncyCastle.Cms;
using SealService.Api.Ledger;
using SealService.Domain.Model;
using SealService.Domain.Policy;
using SealService.Domain.Ports;
using SealService.Domain.Stamping;
using SealService.Keys.Cms;
using SealService.Ledger.Merkle;
using SealService.Pdf.Parsing;
using SealService.Pdf.Verification;
using SealService.Pdf.Verification.Reports;
using Asn1Oid = Org.BouncyCastle.Asn1.DerObjectIdentifier;

namespace SealService.Api.Verification;

/// <summary>
/// Builds the <see cref="VerificationReport"/>: the PDF's signatures (framing, integrity, trust, changes after signing),
/// then for each SealService seal's signature the registry and the ledger — which seal, its status at the signing time
/// and now, the agreement in force then, the seal-use record, the ledger inclusion — and whether the file is the issued one.
/// </summary>
public sealed class DocumentVerifier(
    PdfSignatureVerifier pdf, IRegistryStore registry, IStampingStore stamping, DocumentLedgerProof ledger, Hosting.Metrics.SealMetrics? metrics = null)
{
    private static readonly Asn1Oid ScopeOid = new(SealServiceOids.StampScopeAttribute);

    /// <summary>Verifies a seekable file; <paramref name="issued"/> names the document the visitor expects it to be.</summary>
    public async Task<VerificationReport> VerifyAsync(Stream file, string? issued, CancellationToken ct)
    {
        file.Position = 0;
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
        file.Position = 0;
        IReadOnlyList<PdfSignatureReport> signatures;
        try
        {
            signatures = await pdf.VerifyAsync(file, ct);
        }
        catch (PdfFormatException e)
        {
            metrics?.Verification(Verdicts.Unknown);
            return SignatureFindings.Unreadable(sha256, file.Length, e);
        }

        var findings = new List<SignatureFinding>();
        var views = new List<IssuedDocumentView>();
        foreach (var s in signatures)
        {
            var (finding, view) = await FindingAsync(s, ct);
            findings.Add(finding);
            if (view is not null)
                views.Add(view);
        }

        // A document stamped several times in turn is the issued document of its last stamp, not of its first.
        var document = views.FirstOrDefault(v => v.Sha256 == sha256) ?? views.LastOrDefault();

        if (document is null && issued is not null && await stamping.GetDocumentAsync(issued, ct) is { } stored)
        {
            document = await ViewAsync(stored, null, ct);
        }

        var checks = new List<VerificationCheck>();
        if (signatures.Count == 0)
        {
            checks.Add(SignatureFindings.NoSignature);
        }

        if (document is not null)
        {
            checks.Add(document.Sha256 == sha256
                ? VerificationCheck.Passed("ISSUED_DOCUMENT", $"文件与签发的 {document.DocumentNumber} 逐字节一致", $"byte for byte the issued document {document.DocumentNumber}")
                : VerificationCheck.Warning("NOT_ISSUED_DOCUMENT", $"文件与签发的 {document.DocumentNumber} 不一致，不是签发的原件", $"not the issued document {document.DocumentNumber} (its SHA-256 differs)"));
        }

        var verdict = SignatureFindings.Verdict(findings, checks);
        metrics?.Verification(verdict);
        return new VerificationReport
        {
            Verdict = verdict,
            Sha256 = sha256,
            SizeBytes = file.Length,
            Document = document,
            Checks = checks,
            Signatures = findings,
        };
    }

    private async Task<(SignatureFinding, IssuedDocumentView?)> FindingAsync(PdfSignatureReport s, CancellationToken ct)
    {
        var finding = SignatureFindings.From(s);
        var checks = finding.Checks.ToList();
        var scope = finding.Scope;
        if (scope is null)
        {
            return (finding with { Checks = checks }, null);
        }

        var stored = await stamping.GetDocumentAsync(scope.DocumentId, ct);
        var at = s.TimestampTime;
        var source = "timestamp";
        if (at is null && stored?.SealUse.LedgerIndex is not null)
        {
            (at, source) = (stored.SealUse.At, "ledger");
        }

        if (at is null)
        {
            (at, source) = (s.SigningTime, "claimed");
            checks.Add(VerificationCheck.Warning("SIGNING_TIME_UNVERIFIED", "签章时间仅为签名人声明，未经时间戳或日志证实", "the signing time is only the signer's claim (/M)"));
        }

        await RegistryChecksAsync(scope, DecisionTime(at, source, stored, scope), checks, ct);
        if (stored is null)
        {
            checks.Add(VerificationCheck.Failed("SEAL_USE_NOT_FOUND", $"用章登记中没有文件 {scope.DocumentId}", $"no seal-use record names document {scope.DocumentId}"));
            return (finding with { Checks = checks, SigningTime = at, SigningTimeSource = source }, null);
        }

        var use = stored.SealUse;
        var matches = use.Id == scope.SealUseId && use.SealId == scope.SealId && use.MatterId == scope.MatterId && use.Step == scope.Step
            && use.CaseNumber == scope.CaseNumber && stored.DocumentNumber == scope.DocumentNumber;
        checks.Add(matches
            ? VerificationCheck.Passed("SEAL_USE_RECORDED", $"用章登记 {use.Id} 与签名所述一致", $"seal-use record {use.Id} matches the signature")
            : VerificationCheck.Failed("SEAL_USE_MISMATCH", "用章登记与签名所述不一致", "the seal-use record differs from what the signature states"));
        var (ledgerCheck, ledgerStatus) = await LedgerCheckAsync(use, ct);
        checks.Add(ledgerCheck);
        return (finding with { Checks = checks, SigningTime = at, SigningTimeSource = source }, await ViewAsync(stored, ledgerStatus, ct));
    }

    /// <summary>
    /// The instant to judge the delegation at. The seal-use record holds the instant the policy decided, which the
    /// time-stamp only bounds: a TSA may truncate genTime to whole seconds and state ±1 s accuracy, so a registry change
    /// in the same second as the stamp would look later than the signature. The record's time is taken when it is
    /// consistent with the time-stamp (not after it beyond <see cref="TimestampSlack"/>, not long before it).
    /// </summary>
    private static DateTimeOffset? DecisionTime(DateTimeOffset? at, string source, StoredDocument? stored, StampScope scope)
    {
        if (source != "timestamp" || at is not { } stamped || stored?.SealUse is not { } use || use.Id != scope.SealUseId)
            return at;
        return use.At <= stamped + TimestampSlack && use.At >= stamped - TimestampLag ? use.At : at;
    }

    /// <summary>Second resolution plus the usual ±1 s accuracy of an RFC 3161 genTime.</summary>
    private static readonly TimeSpan TimestampSlack = TimeSpan.FromSeconds(2);

    /// <summary>How long before its time-stamp a stamp may have been decided (signing, then the TSA round trip and retries).</summary>
    private static readonly TimeSpan TimestampLag = TimeSpan.FromMinutes(10);

    private async Task RegistryChecksAsync(StampScope scope, DateTimeOffset? at, List<VerificationCheck> checks, CancellationToken ct)
    {
        var current = await registry.Seals.GetAsync(scope.SealId, ct);
        if (current is null)
        {
            checks.Add(VerificationCheck.Failed("SEAL_NOT_REGISTERED", $"印章 {scope.SealId} 不在登记簿中", $"seal {scope.SealId} is not in the registry"));
            return;
        }

        if (at is null)
        {
            checks.Add(VerificationCheck.Failed("SIGNING_TIME_UNKNOWN", "无法确定签章时间，不能判断当时的授权", "no signing time: the delegation then cannot be checked"));
            return;
        }

        var view = await registry.LoadStampViewAsync(scope.SealId, scope.MatterId, at.Value, ct);
        var seal = view.FindSeal(scope.SealId) ?? current;
        var caller = seal.HoldingTownshipId is { } township
            ? new Caller(CallerRole.TownshipClerk, "verification", TownshipId: township)
            : new Caller(CallerRole.DepartmentOfficer, "verification", DepartmentId: seal.ActingBodyId);
        var decision = DelegationPolicy.Evaluate(view, new StampRequest(caller, scope.SealId, scope.MatterId, scope.Step, scope.SubjectTownshipId, scope.DocumentKind, at.Value));
        checks.Add(decision.Allowed
            ? VerificationCheck.Passed("DELEGATION_IN_FORCE", $"签章时（{ChinaTime.DateOf(at.Value):yyyy-MM-dd}）印章有效，且委托协议允许该事项、环节和文书", "at the signing time the seal was valid and the agreement allowed this matter, step and kind")
            : VerificationCheck.Failed(decision.Code!, $"签章时不被允许：{decision.Message}", $"not allowed at the signing time: {decision.Code}"));
        if (decision.Allowed && decision.Basis?.AgreementId != scope.AgreementId)
        {
            checks.Add(VerificationCheck.Warning("AGREEMENT_DIFFERS", $"签名所述协议 {scope.AgreementId} 与当时生效的协议 {decision.Basis?.AgreementId} 不同", "another agreement than the one stated was in force"));
        }

        if (current.Status is not SealStatus.Active)
        {
            checks.Add(VerificationCheck.Warning("SEAL_STATUS_NOW", $"印章现状态为「{VerificationPage.SealStatusText(current.Status)}」（{ChinaTime.DateOf(current.Change.At):yyyy-MM-dd} 起）；签章时有效，本文件仍然有效",
                $"the seal is {Wire.Name(current.Status)} since {current.Change.At:yyyy-MM-dd}; it was valid when this was signed"));
        }
    }

    /// <summary>The ledger line, and the entry's status for the document view (null: no entry).</summary>
    private async Task<(VerificationCheck Check, string? Status)> LedgerCheckAsync(SealUseRecord use, CancellationToken ct)
    {
        if (use.LedgerIndex is not { } index)
        {
            return (VerificationCheck.Warning("LEDGER_NOT_RECORDED", "用章记录不在防篡改日志中", "the seal use has no ledger entry"), null);
        }

        var proof = await ledger.TryGetProofAsync(index, ct);
        if (proof is null)
        {
            return (VerificationCheck.Warning("LEDGER_PENDING", $"用章记录已写入日志（第 {index} 条），尚待签署树头", $"ledger entry {index} awaits a signed tree head"),
                DocumentLedgerProof.Pending);
        }

        var leaf = MerkleHash.Leaf(Stamping.LedgerJournal.ToEntry(use).ToCanonicalBytes());
        var included = leaf.AsSpan().SequenceEqual(proof.LeafHash)
            && MerkleProofVerifier.VerifyInclusion(index, proof.TreeHead.TreeSize, leaf, proof.AuditPath, proof.TreeHead.RootHash)
            && ledger.VerifyHead(proof.TreeHead);
        return (included
            ? VerificationCheck.Passed("LEDGER_INCLUDED", $"用章记录在防篡改日志第 {index} 条，包含证明与签名树头（{proof.TreeHead.TreeSize} 条）验证通过",
                $"ledger entry {index} is included in the signed tree head of size {proof.TreeHead.TreeSize}")
            : VerificationCheck.Failed("LEDGER_PROOF_INVALID", "日志包含证明不成立", "the ledger inclusion proof does not verify"),
            DocumentLedgerProof.Included);
    }

    /// <summary>What the registry says about an issued document; <paramref name="ledgerStatus"/> when the caller already knows it.</summary>
    private async Task<IssuedDocumentView> ViewAsync(StoredDocument stored, string? ledgerStatus, CancellationToken ct)
    {
        var use = stored.SealUse;
        var seal = await registry.Seals.GetAsync(use.SealId, ct);
        var department = use.SealDepartmentId is { } d ? await registry.Departments.GetAsync(d, ct) : null;
        var township = use.SealTownshipId is { } t ? await registry.Townships.GetAsync(t, ct) : null;
        var matter = await registry.Matters.GetAsync(use.MatterId, ct);
        if (ledgerStatus is null && use.LedgerIndex is { } index)
        {
            ledgerStatus = await ledger.TryGetProofAsync(index, ct) is null ? DocumentLedgerProof.Pending : DocumentLedgerProof.Included;
        }

        return new IssuedDocumentView(stored.DocumentId, stored.DocumentNumber, stored.Sha256, use.At, use.SealId, seal?.Text,
            seal is null ? null : Wire.Name(seal.Status), department?.Name, township?.Name, use.MatterId, matter?.Name, Wire.Name(use.Step),
            use.DocumentKind is { } k ? Wire.Name(k) : null, use.AgreementId, use.LedgerIndex, ledgerStatus);
    }

}
