using System.CommandLine;
using Org.BouncyCastle.X509;
using SealService.Cli.Audit;
using SealService.Keys;
using SealService.Ledger;
using SealService.Ledger.Signing;

namespace SealService.Cli.Commands;

/// <summary><c>sealctl audit verify-package</c>: checks an audit package or case archive offline.</summary>
public static class AuditCommands
{
    /// <summary>Exit code when the package fails a check (1 is a usage or I/O error), as <c>ledger verify</c>.</summary>
    public const int FailedExitCode = LedgerCommands.TamperedExitCode;

    public static Command Create()
    {
        var audit = new Command("audit", "Audit packages (稽核包) and case archives (立卷归档)");
        audit.Subcommands.Add(VerifyPackage());
        return audit;
    }

    private static Command VerifyPackage()
    {
        var input = new Option<FileInfo>("--in") { Description = "The package (ZIP) from GET /audit-packages or /cases/{caseNumber}/archive", Required = true };
        var cert = new Option<FileInfo?>("--cert") { Description = "Pin the ledger certificate (PEM/DER): manifest.sig and the tree head must be signed by it" };
        var root = new Option<FileInfo>("--root")
        {
            Description = "Trusted root (PEM) the manifest signer must chain to",
            DefaultValueFactory = _ => new FileInfo(CliPaths.DevFile("root-ca.pem")),
        };
        var command = new Command("verify-package", "Check manifest.sig, every file's SHA-256, no unlisted file, the signed tree head and each inclusion proof");
        command.Options.Add(input);
        command.Options.Add(cert);
        command.Options.Add(root);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var package = parse.GetValue(input)!;
                if (!package.Exists)
                {
                    error.WriteLine($"PACKAGE_NOT_FOUND: {package.FullName} does not exist.");
                    return 1;
                }

                var roots = new List<X509Certificate> { Keys.Pki.DevPki.ReadPem(parse.GetValue(root)!.FullName) };
                var pinned = parse.GetValue(cert) is { } c ? ReadCertificate(c) : null;
                var findings = new AuditPackageVerifier(roots, pinned).Verify(package.FullName);
                if (findings.Count == 0)
                {
                    output.WriteLine($"OK: {package.Name}: signature, files, tree head and inclusion proofs verify.");
                    return 0;
                }

                output.WriteLine($"FAIL: {findings[0].Code}: {findings[0].Message}");
                foreach (var f in findings.Skip(1))
                    output.WriteLine($"  also {f.Code}: {f.Message}");
                return FailedExitCode;
            }
            catch (KeysException ex)
            {
                error.WriteLine($"{ex.Code}: {ex.Message}");
                return 1;
            }
            catch (LedgerException ex)
            {
                error.WriteLine($"{ex.Code}: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static X509Certificate ReadCertificate(FileInfo file) => file.Exists
        ? TreeHeadVerifier.FromCertificateBytes(File.ReadAllBytes(file.FullName)).Certificate
        : throw new LedgerException(LedgerErrorCodes.LedgerKeyInvalid, $"Certificate {file.FullName} not found.");
}
