using System.CommandLine;
using SealService.Cli;
using SealService.Cli.Commands;

// Each command group lives in its own file under Commands/ and is added here.
var root = new RootCommand("sealctl: SealService operator tool (registry, PDF, PKI, tokens, ledger)");
root.Options.Add(CliGlobals.DataOption);
root.Subcommands.Add(TokenCommands.Create());
root.Subcommands.Add(CatalogCommands.Create());
root.Subcommands.Add(PkiCommands.Create());
root.Subcommands.Add(PdfCommands.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(LedgerCommands.Create());
root.Subcommands.Add(AuditCommands.Create());

return await root.Parse(args).InvokeAsync();
