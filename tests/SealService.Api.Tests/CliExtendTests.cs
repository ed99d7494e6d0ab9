using System.CommandLine;
using Org.BouncyCastle.Math;
using SealService.Cli;
using SealService.Cli.Commands;
using SealService.Keys.Pki;
using SealService.Keys.Revocation;
using SealService.Keys.Verification;
using SealService.Pdf.Verification;
using SealService.TestSupport;

namespace SealService.Api.Tests;

/// <summary>
/// sealctl pdf extend, in-process: a seal certificate whose AIA names an OCSP responder on loopback (the dev CA's), a
/// B-T signature by sealctl pdf sign, then B-LTA twice (archives renew the time-stamp). The OCSP answer is fetched
/// over HTTP; qpdf and our verifier accept every step.
/// </summary>
public sealed class CliExtendTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sealctl-extend-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Extend_fetches_the_ocsp_answer_and_adds_archive_time_stamps()
    {
        var pki = DevPki.Init(Path.Combine(_dir, "pki"));
        using var ca = pki.OpenIssuingCa();
        var authority = new RevocationAuthority(ca, new AllGood());
        var asked = 0;
        using var responder = new LoopbackTsa(async (body, response, ct) =>
        {
            Interlocked.Increment(ref asked);
            var answer = await authority.RespondAsync(body, ct);
            response.ContentType = "application/ocsp-response";
            await response.OutputStream.WriteAsync(answer, ct);
        });
        var key = pki.IssueSealCertificate("seal-extend", "牡丹区行政审批服务局审批专用章（沙土镇）", "牡丹区行政审批服务局",
            revocation: new RevocationUrls(null, responder.Url));
        var plain = Path.Combine(_dir, "plain.pdf");
        await File.WriteAllBytesAsync(plain, Infrastructure.TestPdfs.Plain());
        var signed = Path.Combine(_dir, "signed.pdf");
        Assert.Equal(0, (await Run("pdf", "sign", "--in", plain, "--out", signed, "--key", key, "--level", "B-T", "--pki", pki.Directory)).Code);

        var lta = Path.Combine(_dir, "lta.pdf");
        Assert.Equal(0, (await Run("pdf", "extend", "--in", signed, "--out", lta, "--level", "B-LTA", "--pki", pki.Directory, "--ocsp-url", responder.Url)).Code);
        Assert.Equal(2, asked); // the seal certificate's OCSP answer (the URL in its AIA) and the TSA's (it names none: --ocsp-url)
        var again = Path.Combine(_dir, "lta2.pdf");
        Assert.Equal(0, (await Run("pdf", "extend", "--in", lta, "--out", again, "--level", "B-LTA", "--pki", pki.Directory, "--ocsp-url", responder.Url)).Code);

        foreach (var (path, count) in new[] { (lta, 2), (again, 3) })
        {
            var qpdf = ExternalTools.QpdfCheck(path);
            Assert.True(qpdf.ExitCode == 0, qpdf.All);
            var reports = await new PdfSignatureVerifier(new KeysCmsSignatureValidator(new CmsSignatureVerifier(
                new CmsVerificationOptions { TrustedRoots = [pki.RootCertificate], RequireSealCertificate = true }))).VerifyAsync(File.OpenRead(path));
            Assert.Equal(count, reports.Count);
            Assert.All(reports, r => Assert.True(r.Valid, $"{r.FieldName}: {r.ErrorCode} {r.Message}"));
            Assert.Equal(count - 1, reports.Count(r => r.SubFilter == "ETSI.RFC3161"));
            Assert.Equal(RevocationFinding.Good, reports.Single(r => r.SubFilter == "ETSI.CAdES.detached").Revocation?.Status);
            Assert.Equal("B-LTA", reports.Single(r => r.SubFilter == "ETSI.CAdES.detached").Level);
        }

        Assert.Equal(1, (await Run("pdf", "extend", "--in", signed, "--out", Path.Combine(_dir, "x.pdf"), "--level", "B-XL")).Code);
        Assert.False(File.Exists(Path.Combine(_dir, "x.pdf")));
    }

    private static async Task<(int Code, string Err)> Run(params string[] args)
    {
        var root = new RootCommand("sealctl");
        root.Options.Add(CliGlobals.DataOption);
        root.Subcommands.Add(PdfCommands.Create());
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        return (code, error.ToString());
    }

    private sealed class AllGood : ICertificateStatusSource
    {
        public Task<RevocationStatus?> FindAsync(BigInteger serialNumber, CancellationToken cancellationToken) => Task.FromResult<RevocationStatus?>(RevocationStatus.Good);

        public Task<IReadOnlyList<(BigInteger Serial, RevocationStatus Status)>> RevokedAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(BigInteger, RevocationStatus)>>([]);
    }
}
