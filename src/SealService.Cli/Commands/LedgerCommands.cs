using System.CommandLine;
using System.Text;
using SealService.Keys.Pki;
using SealService.Ledger;
using SealService.Ledger.Canonical;
using SealService.Ledger.Signing;
using SealService.Ledger.Verification;
using SealService.Storage.Postgres;
using SealService.Storage.Relational;
using SealService.Storage.Sqlite;

namespace SealService.Cli.Commands;

/// <summary><c>sealctl ledger verify|export|tree-head|append-burst</c>: the tamper-evident seal-use log.</summary>
public static class LedgerCommands
{
    /// <summary>Exit code when verification finds a problem (1 is a usage or I/O error).</summary>
    public const int TamperedExitCode = 2;

    public static Command Create()
    {
        var ledger = new Command("ledger", "Tamper-evident seal-use ledger (Merkle log, signed tree heads)");
        ledger.Subcommands.Add(Verify());
        ledger.Subcommands.Add(Export());
        ledger.Subcommands.Add(TreeHead());
        ledger.Subcommands.Add(AppendBurst());
        return ledger;
    }

    private static Option<FileInfo?> DbOption() => new("--db")
    {
        Description = $"Ledger database (default: <data>/{DataDirectory.RegistryFileName}, the service's own file)",
    };

    private static Option<FileInfo> CertOption(string defaultPath) => new("--cert")
    {
        Description = "Ledger certificate (PEM or DER) that must have signed the tree heads",
        DefaultValueFactory = _ => new FileInfo(defaultPath),
    };

    private static Option<FileInfo> KeyOption() => new("--key")
    {
        Description = "Ledger signing key (PKCS#12)",
        DefaultValueFactory = _ => new FileInfo(Path.Combine("certs-dev", "ledger.p12")),
    };

    private static Option<string> PassphraseOption() => new("--passphrase")
    {
        Description = "PKCS#12 passphrase (default: $SEALSERVICE_KEY_PASSPHRASE, else the dev passphrase)",
    };

    private static Command Verify()
    {
        var db = DbOption();
        var package = new Option<FileInfo?>("--package") { Description = "Verify an exported package (ZIP) offline instead of the store" };
        var cert = new Option<FileInfo?>("--cert") { Description = "Ledger certificate (PEM/DER). Store: default the dev ledger certificate shipped with sealctl. Package: default the one inside (its key id is printed; pin it)" };
        var command = new Command("verify", "Recompute the Merkle tree, check every signed tree head, name the first bad entry");
        command.Options.Add(db);
        command.Options.Add(package);
        command.Options.Add(cert);
        command.SetAction(parse => Run(() =>
        {
            var packageFile = parse.GetValue(package);
            var certFile = parse.GetValue(cert);
            LedgerVerificationReport report;
            TreeHeadVerifier keys;
            if (packageFile is not null)
            {
                using var source = new PackageLedgerSource(packageFile.FullName);
                keys = TreeHeadVerifier.FromCertificateBytes(certFile is null ? source.CertificatePem : ReadCertificate(certFile));
                report = LedgerVerifier.Verify(source, keys);
            }
            else
            {
                keys = TreeHeadVerifier.FromCertificateBytes(ReadCertificate(certFile ?? new FileInfo(CliPaths.DevFile("ledger.pem"))));
                using var source = parse.GetValue(db) is null && CliStorage.PostgresConnectionString is { } cs
                    ? PostgresLedgerStorage.OpenSnapshot(cs)
                    : new SqliteLedgerSource(DatabasePath(parse, db));
                report = LedgerVerifier.Verify(source, keys);
            }

            return Print(report, keys);
        }));
        return command;
    }

    private static Command Export()
    {
        var db = DbOption();
        var output = new Option<FileInfo>("--out") { Description = "ZIP file to write", Required = true };
        var cert = CertOption(CliPaths.DevFile("ledger.pem"));
        var command = new Command("export", "Write entries, signed tree heads and the ledger certificate to a ZIP for offline verification");
        command.Options.Add(db);
        command.Options.Add(output);
        command.Options.Add(cert);
        command.SetAction(parse => Run(() =>
        {
            var keys = TreeHeadVerifier.FromCertificateBytes(ReadCertificate(parse.GetValue(cert)!));
            var (entries, heads) = LedgerPackage.Export(DatabasePath(parse, db), keys.Certificate, [], parse.GetValue(output)!.FullName, DateTimeOffset.UtcNow);
            Console.WriteLine($"Exported {entries} entries and {heads} signed tree heads to {parse.GetValue(output)!.FullName} (key id {keys.KeyId}).");
            return 0;
        }));
        return command;
    }

    private static Command TreeHead()
    {
        var db = DbOption();
        var key = KeyOption();
        var passphrase = PassphraseOption();
        var command = new Command("tree-head", "Sign a tree head over everything committed now and print it");
        command.Options.Add(db);
        command.Options.Add(key);
        command.Options.Add(passphrase);
        command.SetAction(parse => RunAsync(async () =>
        {
            await using var ledger = await OpenAsync(parse, db, key, passphrase);
            var head = await ledger.IssueTreeHeadAsync();
            Console.WriteLine(Encoding.UTF8.GetString(head.ToCanonicalJson()));
            return 0;
        }));
        return command;
    }

    /// <summary>Load/crash-test helper: appends concurrently and prints "committed N" after each commit.</summary>
    private static Command AppendBurst()
    {
        var db = DbOption();
        var key = KeyOption();
        var passphrase = PassphraseOption();
        var count = new Option<int>("--count") { Description = "Entries to append (1..1000000)", DefaultValueFactory = _ => 1000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent appenders (1..1024)", DefaultValueFactory = _ => 64 };
        var command = new Command("append-burst", "Append test seal-use records concurrently (prints 'committed <index>' once each is durable)");
        command.Options.Add(db);
        command.Options.Add(key);
        command.Options.Add(passphrase);
        command.Options.Add(count);
        command.Options.Add(concurrency);
        command.SetAction(parse => RunAsync(async () =>
        {
            var total = parse.GetValue(count);
            var workers = parse.GetValue(concurrency);
            if (total is < 1 or > 1_000_000 || workers is < 1 or > 1024)
            {
                throw new LedgerException(LedgerErrorCodes.RangeInvalid, "--count must be 1..1000000 and --concurrency 1..1024.");
            }

            await using var ledger = await OpenAsync(parse, db, key, passphrase);
            var next = -1;
            var output = Console.Out;
            var tasks = Enumerable.Range(0, workers).Select(async _ =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < total)
                {
                    var index = await ledger.AppendAsync(BurstRecord(n).ToCanonicalBytes());
                    await output.WriteLineAsync($"committed {index}");
                }
            });
            await Task.WhenAll(tasks);
            var head = await ledger.IssueTreeHeadAsync();
            await output.WriteLineAsync($"tree-head {head.TreeSize}");
            await output.FlushAsync();
            return 0;
        }));
        return command;
    }

    private static SealUseRecord BurstRecord(int n) => new()
    {
        SealUseId = $"burst-{Guid.NewGuid():N}",
        At = DateTimeOffset.UtcNow,
        Outcome = "allowed",
        SealId = "seal-burst",
        SealVersion = 1,
        Step = "decide",
        CaseNumber = $"BURST-{n:D7}",
        Actor = new SealUseActor("sealctl append-burst", "test"),
    };

    private static async Task<SealLedger> OpenAsync(ParseResult parse, Option<FileInfo?> db, Option<FileInfo> key, Option<string> passphrase)
    {
        var pass = parse.GetValue(passphrase) ?? Environment.GetEnvironmentVariable("SEALSERVICE_KEY_PASSPHRASE") ?? DevPki.DefaultPassphrase;
        var signer = LedgerSigner.FromPkcs12(parse.GetValue(key)!.FullName, pass);
        var path = DatabasePath(parse, db);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return await SealLedger.OpenAsync(new LedgerOptions { DatabasePath = path, TreeHeadInterval = TimeSpan.Zero }, signer);
    }

    private static string DatabasePath(ParseResult parse, Option<FileInfo?> db)
    {
        if (parse.GetValue(db) is { } file)
        {
            return file.FullName;
        }

        var data = parse.GetValue(CliGlobals.DataOption)?.FullName
            ?? Environment.GetEnvironmentVariable("SEALSERVICE_DATA")
            ?? "data";
        return DataDirectory.RegistryPath(data); // the service keeps the ledger tables in the registry's file
    }

    private static byte[] ReadCertificate(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new LedgerException(LedgerErrorCodes.LedgerKeyInvalid, $"Certificate {file.FullName} not found.");
        }

        return File.ReadAllBytes(file.FullName);
    }

    private static int Print(LedgerVerificationReport report, TreeHeadVerifier keys)
    {
        var signed = report.LatestSignedTreeSize is { } s ? $"latest signed tree size {s}" : "no signed tree head";
        if (report.IsValid)
        {
            Console.WriteLine($"OK: {report.EntryCount} entries, {report.TreeHeadCount} signed tree heads, {signed}; key id {keys.KeyId}.");
            if (report.UnsignedEntries > 0)
            {
                Console.WriteLine($"Note: {report.UnsignedEntries} entries after the latest signed head are protected by per-row checks only.");
            }

            return 0;
        }

        var first = report.FirstFinding!;
        Console.WriteLine(first.Index is { } i
            ? $"FAIL: first bad entry index {i}: {first.Code}: {first.Message}"
            : $"FAIL: {first.Code}: {first.Message}");
        foreach (var finding in report.Findings.Where(f => f != first))
        {
            Console.WriteLine($"  also {finding.Code}{(finding.Index is { } j ? $" at index {j}" : "")}: {finding.Message}");
        }

        Console.WriteLine($"({report.EntryCount} entries, {report.TreeHeadCount} tree heads, {signed}; key id {keys.KeyId})");
        return TamperedExitCode;
    }

    private static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (LedgerException ex)
        {
            Console.Error.WriteLine($"{ex.Code}: {ex.Message}");
            return 1;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            Console.Error.WriteLine($"LEDGER_STORE_ERROR: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (LedgerException ex)
        {
            Console.Error.WriteLine($"{ex.Code}: {ex.Message}");
            return 1;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            Console.Error.WriteLine($"LEDGER_STORE_ERROR: {ex.Message}");
            return 1;
        }
    }
}
