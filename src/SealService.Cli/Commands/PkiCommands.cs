using System.CommandLine;
using SealService.Keys;
using SealService.Keys.Pkcs11;
using SealService.Keys.Pki;

namespace SealService.Cli.Commands;

/// <summary><c>sealctl pki init|issue-seal|token-seal|token-ledger</c>: development PKI in certs-dev/, keys in files or a token.</summary>
public static class PkiCommands
{
    public static Command Create()
    {
        var pki = new Command("pki", "Development PKI (root CA, issuing CA, TSA, ledger and seal keys) - NOT FOR PRODUCTION");
        pki.Subcommands.Add(Init());
        pki.Subcommands.Add(IssueSeal());
        pki.Subcommands.Add(TokenKey(ledger: false));
        pki.Subcommands.Add(TokenKey(ledger: true));
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

    /// <summary>A key generated inside a PKCS#11 token (never exported) and certified by the dev issuing CA.</summary>
    private static Command TokenKey(bool ledger)
    {
        var output = OutOption();
        var algorithm = new Option<string>("--algorithm") { Description = "rsa (RSA-2048, default) or ecdsa (P-256); SoftHSM2 has no SM2", DefaultValueFactory = _ => "rsa" };
        var passphrase = PassphraseOption();
        var module = new Option<string>("--module") { Description = "PKCS#11 module", DefaultValueFactory = _ => "/usr/lib/softhsm/libsofthsm2.so" };
        var tokenLabel = new Option<string>("--token") { Description = "Token label", Required = true };
        var pinFile = new Option<FileInfo?>("--pin-file") { Description = "File whose first line is the user PIN (default: $SEALSERVICE_TOKEN_PIN)" };
        var id = new Option<string>("--id") { Description = "Seal id, e.g. seal-mudan-spj-shatu", Required = !ledger };
        var text = new Option<string>("--text") { Description = "Seal text (certificate CN)", Required = !ledger };
        var org = new Option<string>("--org") { Description = "Body the seal acts for (certificate O)", Required = !ledger };
        var reference = new Option<string>("--reference") { Description = "Key label and id in the token", DefaultValueFactory = _ => "ledger" };
        var command = ledger
            ? new Command("token-ledger", "Generate the ledger key inside a PKCS#11 token and certify it with the dev issuing CA (Ledger:KeyReference)")
            : new Command("token-seal", "Generate a seal key inside a PKCS#11 token (label seals/<id>) and certify it with the dev issuing CA");
        foreach (var option in ledger ? new Option[] { output, algorithm, passphrase, module, tokenLabel, pinFile, reference } : [output, algorithm, passphrase, module, tokenLabel, pinFile, id, text, org])
            command.Options.Add(option);
        command.SetAction(parse => Run(() =>
        {
            var pki = new DevPki(parse.GetValue(output)!.FullName, PassphraseOf(parse.GetValue(passphrase)));
            var options = new Pkcs11Options
            {
                Library = parse.GetValue(module)!,
                TokenLabel = parse.GetValue(tokenLabel),
                PinFile = parse.GetValue(pinFile)?.FullName,
                Pin = parse.GetValue(pinFile) is null ? Environment.GetEnvironmentVariable("SEALSERVICE_TOKEN_PIN") : null,
            };
            using var store = new Pkcs11SealKeyStore(options, null);
            var keyAlgorithm = SealKeyAlgorithmNames.Parse(parse.GetValue(algorithm)!);
            var certificate = ledger
                ? Pkcs11DevSeals.CreateLedgerKey(store.Token, pki, parse.GetValue(reference)!, keyAlgorithm)
                : Pkcs11DevSeals.Create(store.Token, pki, parse.GetValue(id)!, parse.GetValue(text)!, parse.GetValue(org)!, keyAlgorithm);
            var label = ledger ? parse.GetValue(reference)! : "seals/" + parse.GetValue(id);
            Console.WriteLine($"Key '{label}' generated in token '{store.Token.Label}' (not extractable); certificate {certificate.SubjectDN} stored beside it.");
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
