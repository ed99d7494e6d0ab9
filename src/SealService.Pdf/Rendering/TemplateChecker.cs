using System.Globalization;

namespace SealService.Pdf.Rendering;

/// <summary>Structural checks on a loaded template (fail at load, not at render).</summary>
internal static class TemplateChecker
{
    private const int MaxFields = 60;
    private const int MaxBlocks = 120;
    private const int MaxStaticText = 4000;

    internal static void Check(DocumentTemplate t, Func<int, bool> covers)
    {
        void Fail(string why) => throw new TemplateException(RenderErrorCodes.TemplateInvalid, $"template {t.Id}: {why}");

        if (!TemplateCatalog.IdPattern().IsMatch(t.Id))
        {
            Fail("id must be lower-case letters, digits and '-'");
        }

        if (string.IsNullOrWhiteSpace(t.Title) || t.Title.Length > 100)
        {
            Fail("title must be 1..100 characters");
        }

        if (t.Fields.Count > MaxFields || t.Blocks.Count is 0 or > MaxBlocks)
        {
            Fail($"at most {MaxFields} fields and 1..{MaxBlocks} blocks");
        }

        var m = t.MarginsMm;
        if (new[] { m.Top, m.Right, m.Bottom, m.Left }.Any(v => v is < 5 or > 80))
        {
            Fail("margins must be 5..80 mm");
        }

        var names = new HashSet<string>(Placeholders.ContextNames, StringComparer.Ordinal);
        foreach (var field in t.Fields)
        {
            if (!TemplateCatalog.FieldNamePattern().IsMatch(field.Name) || !names.Add(field.Name))
            {
                Fail($"field name \"{field.Name}\" is not a unique camelCase identifier (or is reserved)");
            }

            if (field.MaxLength is < 1 or > 10000)
            {
                Fail($"field {field.Name}: maxLength must be 1..10000");
            }

            if (field.Type == FieldType.Choice && (field.Options is null || field.Options.Count == 0))
            {
                Fail($"field {field.Name}: a choice needs options");
            }

            if (field.Min is { } min && field.Max is { } max && min > max)
            {
                Fail($"field {field.Name}: min > max");
            }

            if (field.Bind is { } bind && (!TemplateBindings.All.Contains(bind) || field.Type is not (FieldType.String or FieldType.Text)))
            {
                Fail($"field {field.Name}: bind must be one of {string.Join(", ", TemplateBindings.All)} on a string or text field");
            }
        }

        var staticLength = 0;
        var signatures = 0;
        foreach (var block in t.Blocks)
        {
            if (block.FontSize is < 6 or > 48 || block.LineSpacing is < 1 or > 4 || block.FirstLineIndent is < 0 or > 8)
            {
                Fail("fontSize must be 6..48 pt, lineSpacing 1..4, firstLineIndent 0..8 em");
            }

            if (block.SpaceBeforeMm is < 0 or > 200 || block.SpaceAfterMm is < 0 or > 200 || block.HeightMm is < 0 or > 200)
            {
                Fail("spaces and heights must be 0..200 mm");
            }

            if (block.When is not null && !names.Contains(block.When))
            {
                Fail($"when refers to unknown field \"{block.When}\"");
            }

            var texts = block.Kind switch
            {
                BlockKind.Text => block.Text is null ? null : new[] { block.Text },
                BlockKind.Signature => block.Lines?.ToArray(),
                _ => [],
            };
            if (texts is null || (block.Kind == BlockKind.Signature && texts.Length == 0))
            {
                Fail($"a {block.Kind} block needs {(block.Kind == BlockKind.Text ? "text" : "lines")}");
            }

            if (block.Kind == BlockKind.Signature)
            {
                signatures++;
            }

            if (block.Kind == BlockKind.Rule && block.Color is not null && ParseColor(block.Color) is null)
            {
                Fail($"colour \"{block.Color}\" is not #RRGGBB");
            }

            foreach (var text in texts!)
            {
                staticLength += text.Length;
                CheckText(text, names, covers, Fail);
            }
        }

        if (signatures > 1)
        {
            Fail("at most one signature block");
        }

        if (staticLength > MaxStaticText)
        {
            Fail($"static text longer than {MaxStaticText} characters");
        }

        if (t.Seal.DiameterMm is < 20 or > 60)
        {
            Fail("seal diameter must be 20..60 mm");
        }

        if (t.QrCode is { } qr)
        {
            if (qr.SizeMm is < 12 or > 60 || qr.XMm < 0 || qr.YMm < 0
                || qr.XMm + qr.SizeMm > PageGeometry.WidthMm || qr.YMm + qr.SizeMm > PageGeometry.HeightMm)
            {
                Fail("QR code must be 12..60 mm and inside the page");
            }

            if (qr.Caption is not null)
            {
                CheckText(qr.Caption, [], covers, Fail);
            }
        }
    }

    internal static SkiaSharp.SKColor? ParseColor(string text) =>
        text.Length == 7 && text[0] == '#'
            && uint.TryParse(text.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb)
            ? new SkiaSharp.SKColor((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb)
            : null;

    private static void CheckText(string text, HashSet<string> names, Func<int, bool> covers, Action<string> fail)
    {
        List<string> referenced;
        try
        {
            referenced = Placeholders.Names(text).ToList();
        }
        catch (FormatException e)
        {
            fail(e.Message);
            return;
        }

        foreach (var name in referenced)
        {
            if (!names.Contains(name))
            {
                fail($"placeholder {{{name}}} names no field");
            }
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (char.IsControl((char)Math.Min(rune.Value, 0xFFFF)) && rune.Value != '\n')
            {
                fail("static text contains a control character");
            }

            if (rune.Value is not ('{' or '}' or '\n') && !covers(rune.Value))
            {
                fail($"static character U+{rune.Value:X4} is not in the document font");
            }
        }
    }
}
