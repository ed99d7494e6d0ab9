using System.CommandLine;
using SealService.Cli;

// Each command group lives in its own file under Commands/ and is added here.
var root = new RootCommand("sealctl: SealService operator tool (registry, PDF, PKI, tokens, ledger)");
root.Options.Add(CliGlobals.DataOption);
root.Subcommands.Add(SealService.Cli.Commands.PkiCommands.Create());
root.Subcommands.Add(SealService.Cli.Commands.LedgerCommands.Create());

return await root.Parse(args).InvokeAsync();
