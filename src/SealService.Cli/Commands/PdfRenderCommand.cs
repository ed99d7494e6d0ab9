using System.CommandLine;
using System.Globalization;
using SealService.Pdf.Rendering;

namespace SealService.Cli.Commands;

/// <summary>`sealctl pdf render`: one template + data file → PDF, without the service.</summary>
public static class PdfRenderCommand
{
    public static Command Create()
    {
        var template = new Option<string>("--template") { Description = "Template id (file name in the templates folder)", Required = true };
        // Not --data: that is every command's data folder, and one name must not mean two things.
        var data = new Option<FileInfo>("--fields")
        {
            Description = "Data file: { \"fields\": {…}, \"context\": {…} }, e.g. templates/<id>.sample.json",
            Required = true,
        };
        var output = new Option<FileInfo>("--out") { Description = "PDF to write", Required = true };
        var templates = new Option<DirectoryInfo?>("--templates") { Description = "Templates folder (default: $SEALSERVICE_TEMPLATES, else ./templates found upwards)" };
        var number = new Option<string?>("--number") { Description = "Document number (文号); overrides the data file" };
        var verifyUrl = new Option<string?>("--verify-url") { Description = "Verification URL for the QR code; overrides the data file" };
        var issueDate = new Option<string?>("--issue-date") { Description = "Issue date yyyy-MM-dd (default: the data file's, else today)" };

        var command = new Command("render",
            "Render a template to an A4 draft PDF (marked 样稿 · 未签章, no seal: a seal appears only through signing by the service)");
        command.Options.Add(template);
        command.Options.Add(data);
        command.Options.Add(output);
        command.Options.Add(templates);
        command.Options.Add(number);
        command.Options.Add(verifyUrl);
        command.Options.Add(issueDate);
        command.SetAction(parse =>
        {
            try
            {
                var directory = parse.GetValue(templates)?.FullName ?? FindTemplates();
                var catalog = TemplateCatalog.Load(directory);
                var doc = catalog.Get(parse.GetValue(template)!);
                var values = TemplateData.Load(parse.GetValue(data)!.FullName);
                DateOnly? date = null;
                if (parse.GetValue(issueDate) is { } text)
                {
                    if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                    {
                        throw new TemplateException(RenderErrorCodes.ContextInvalid, "--issue-date must be yyyy-MM-dd", "issueDate");
                    }

                    date = d;
                }

                var context = values.ToContext(
                    DateOnly.FromDateTime(DateTime.Now), parse.GetValue(number), parse.GetValue(verifyUrl), date);
                var target = parse.GetValue(output)!;
                var temp = target.FullName + ".tmp";
                RenderResult result;
                try
                {
                    using (var stream = File.Create(temp))
                    {
                        result = DocumentRenderer.Render(doc, values.Fields, context, stream);
                    }

                    File.Move(temp, target.FullName, overwrite: true);
                }
                finally
                {
                    File.Delete(temp); // no-op after the move; removes the empty file after a refusal
                }
                var seal = result.Seal is { } s
                    ? string.Create(CultureInfo.InvariantCulture, $"; seal place (left empty) on page {s.PageIndex + 1} at x={s.X:F1} y={s.Y:F1} w={s.Width:F1} h={s.Height:F1} pt")
                    : string.Empty;
                Console.WriteLine($"{target.FullName}: draft, {result.PageCount} page(s), {new FileInfo(target.FullName).Length} bytes{seal}");
                return 0;
            }
            catch (TemplateException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }

    private static string FindTemplates()
    {
        if (Environment.GetEnvironmentVariable("SEALSERVICE_TEMPLATES") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "templates");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new TemplateException(RenderErrorCodes.TemplateNotFound, "no templates folder found; pass --templates DIR");
    }
}
