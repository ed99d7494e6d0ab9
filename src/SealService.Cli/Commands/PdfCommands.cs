using System.CommandLine;

namespace SealService.Cli.Commands;

/// <summary>`sealctl pdf …`: render documents from templates, sign PDFs.</summary>
public static class PdfCommands
{
    public static Command Create()
    {
        var pdf = new Command("pdf", "Render documents from templates and sign PDFs");
        pdf.Subcommands.Add(PdfRenderCommand.Create());
        pdf.Subcommands.Add(PdfSignCommand.Create());
        pdf.Subcommands.Add(PdfVerifyCommand.Create());
        pdf.Subcommands.Add(PdfExtendCommand.Create());
        return pdf;
    }
}
