using System.CommandLine;
using SealService.Keys;
using SealService.Keys.Pki;

namespace SealService.Cli.Commands;

/// <summary><c>sealctl pki init|issue-seal</c>: development PKI in certs-dev/.</summary>
public static class PkiCommands
{
    public static Command Create()
    {
        var pki = new Command("pki", "Development PKI (root CA, issuing CA, TSA, ledger and seal keys) - NOT FOR PRODUCTION");
        pki.Subcommands.Add(Init());
        pki.Subcommands.Add(IssueSeal());
        return pki;
    }

    private static Option<DirectoryInfo> OutOption() => new("--out")
    {
        Description = "Folder of the development PKI",
        DefaultValueFactory = _ => new DirectoryInfo("certs-dev"),
    };

    private static Option<string> AlgorithmOption() => new("--algorithm")
    {
        Description = "Key algorithm: rsa (RSA-2048, default), ecdsa (P-256) or sm2 (SM2/SM3)",
        DefaultValueFactory = _ => "rsa",
    };

    private static Option<string> PassphraseOption() => new("--passphrase")
    {
        Description = $"PKCS#12 passphrase (default: $SEALSERVICE_KEY_PASSPHRASE, else the dev passphrase '{DevPki.DefaultPassphrase}')",
    };

    private static Command Init()
    {
        var output = OutOption();
        var algorithm = AlgorithmOption();
        var passphrase = PassphraseOption();
        var force = new Option<bool>("--force") { Description = "Replace an existing development PKI" };
        var command = new Command("init", "Create dev root CA, issuing CA, TSA certificate and ledger key");
        command.Options.Add(output);
        command.Options.Add(algorithm);
        command.Options.Add(passphrase);
        command.Options.Add(force);
        command.SetAction(parse => Run(() =>
        {
            var dir = parse.GetValue(output)!.FullName;
            var alg = SealKeyAlgorithmNames.Parse(parse.GetValue(algorithm)!);
            DevPki.Init(dir, alg, parse.GetValue(force), PassphraseOf(parse.GetValue(passphrase)));
            Console.WriteLine($"Development PKI ({alg.ToName()}) written to {dir}. Trust anchor: {Path.Combine(dir, DevPki.RootCaFile + ".pem")}");
            var seals = Path.Combine(dir, DevPki.SealsFolder);
            if (Directory.Exists(seals) && Directory.EnumerateFiles(seals, "*.p12").Any())
            {
                Console.WriteLine($"Note: the keys in {seals} were issued by the previous CA; re-issue them with 'sealctl pki issue-seal'.");
            }
        }));
        return command;
    }

    private static Command IssueSeal()
    {
        var output = OutOption();
        var algorithm = AlgorithmOption();
        var passphrase = PassphraseOption();
        var id = new Option<string>("--id") { Description = "Seal id, e.g. seal-mudan-spj-shatu", Required = true };
        var text = new Option<string>("--text") { Description = "Seal text (certificate CN)", Required = true };
        var org = new Option<string>("--org") { Description = "Body the seal acts for (certificate O)", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing key for this seal" };
        var command = new Command("issue-seal", "Issue a seal key and certificate from the dev issuing CA into <out>/seals/<id>.p12");
        command.Options.Add(output);
        command.Options.Add(id);
        command.Options.Add(text);
        command.Options.Add(org);
        command.Options.Add(algorithm);
        command.Options.Add(passphrase);
        command.Options.Add(force);
        command.SetAction(parse => Run(() =>
        {
            var pki = new DevPki(parse.GetValue(output)!.FullName, PassphraseOf(parse.GetValue(passphrase)));
            var path = pki.IssueSealCertificate(parse.GetValue(id)!, parse.GetValue(text)!, parse.GetValue(org)!, SealKeyAlgorithmNames.Parse(parse.GetValue(algorithm)!), parse.GetValue(force));
            Console.WriteLine($"Seal key written to {path}");
        }));
        return command;
    }

    private static string PassphraseOf(string? given) =>
        given ?? Environment.GetEnvironmentVariable("SEALSERVICE_KEY_PASSPHRASE") ?? DevPki.DefaultPassphrase;

    private static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (KeysException ex)
        {
            Console.Error.WriteLine($"{ex.Code}: {ex.Message}");
            return 1;
        }
    }
}
