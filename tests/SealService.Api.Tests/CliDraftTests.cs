using System.CommandLine;
using SealService.Api.Tests.Infrastructure;
using SealService.Cli;
using SealService.Cli.Commands;
using SealService.Pdf.Rendering;
using SkiaSharp;

namespace SealService.Api.Tests;

/// <summary>`sealctl pdf render` makes drafts: marked 样稿 · 未签章, with the seal's place left empty (a seal comes only by signing).</summary>
public sealed class CliDraftTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sealctl-draft-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_option_name_means_one_thing_on_every_command()
    {
        var root = new RootCommand("sealctl");
        root.Options.Add(CliGlobals.DataOption);
        foreach (var group in new[] { TokenCommands.Create(), CatalogCommands.Create(), PkiCommands.Create(), PdfCommands.Create(), VerifyCommand.Create(), LedgerCommands.Create(), AuditCommands.Create() })
            root.Subcommands.Add(group);
        foreach (var command in root.Subcommands.SelectMany(c => c.Subcommands.Prepend(c)))
        {
            var names = command.Options.Concat(root.Options.Where(o => o.Recursive)).Select(o => o.Name).ToList();
            Assert.True(names.Count == names.Distinct().Count(), $"{command.Name}: {string.Join(", ", names)}");
        }
    }

    [Theory]
    [InlineData("licence-decision")]
    [InlineData("certificate")]
    public async Task Pdf_render_output_has_the_draft_mark_and_no_red_seal(string template)
    {
        var templates = Path.Combine(AppContext.BaseDirectory, "templates");
        var sample = Path.Combine(templates, template + ".sample.json");
        var output = Path.Combine(_dir, template + ".pdf");
        var root = new RootCommand("sealctl");
        root.Options.Add(CliGlobals.DataOption);
        root.Subcommands.Add(PdfCommands.Create());
        var code = await root.Parse(["pdf", "render", "--template", template, "--fields", sample, "--templates", templates, "--out", output, "--issue-date", "2026-11-29"])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter() });
        Assert.Equal(0, code);

        var text = ExternalTools.Run("pdftotext", "-enc", "UTF-8", output, "-").StdOut;
        Assert.Contains(RenderContext.DraftMark, text, StringComparison.Ordinal);

        // Where the seal would go (the same layout, from the renderer), the page has no red.
        var data = TemplateData.Load(sample);
        var seal = DocumentRenderer.Render(TemplateCatalog.Load(templates).Get(template), data.Fields,
            data.ToContext(new DateOnly(2026, 11, 29)), new MemoryStream()).Seal!;
        var page = (seal.PageIndex + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var png = Path.Combine(_dir, template);
        Assert.Equal(0, ExternalTools.Run("pdftoppm", "-r", "72", "-png", "-f", page, "-l", page, "-singlefile", output, png).ExitCode);
        using var bitmap = SKBitmap.Decode(png + ".png");
        int red = 0, total = 0;
        for (var y = (int)(842 - seal.Y - seal.Height); y < (int)(842 - seal.Y); y++)
        {
            for (var x = (int)seal.X; x < (int)(seal.X + seal.Width); x++)
            {
                total++;
                var c = bitmap.GetPixel(x, y);
                if (c.Red > 170 && c.Green < 110 && c.Blue < 110)
                    red++;
            }
        }

        Assert.True(total > 10_000, "the seal area was measured");
        Assert.True(red < total / 500, $"{red} red pixels of {total} where the seal would be");
    }
}
