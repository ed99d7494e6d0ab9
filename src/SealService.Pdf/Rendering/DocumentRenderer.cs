using System.Text;
using System.Text.Json;
using SealService.Pdf.Fonts;
using SealService.Pdf.Seals;
using SkiaSharp;

namespace SealService.Pdf.Rendering;

/// <summary>
/// Renders a template with field values to an A4 PDF: text laid out with the bundled font
/// (embedded as a per-document subset) and the QR code of the verification URL as vector squares. The seal is never
/// painted into the page: its place over the signature block is reserved and reported for the signature widget, and a
/// draft carries the mark <see cref="RenderContext.DraftMark"/> instead.
/// </summary>
public static class DocumentRenderer
{
    public const int MaxPages = 5;
    public const string Producer = "SealService";

    /// <summary>Checks field values against the template (TEMPLATE_FIELD_*) without laying anything out.</summary>
    public static void ValidateFields(DocumentTemplate template, IReadOnlyDictionary<string, JsonElement> fields)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(fields);
        FieldBinder.Bind(template, fields, DocumentFont.Shared.Covers, bound: null);
    }

    /// <summary>
    /// Validates everything, lays the document out, then writes the PDF to <paramref name="output"/>.
    /// Nothing is written when validation or layout fails (<see cref="TemplateException"/>).
    /// </summary>
    public static RenderResult Render(
        DocumentTemplate template,
        IReadOnlyDictionary<string, JsonElement> fields,
        RenderContext context,
        Stream output)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);

        var font = DocumentFont.Shared;
        var values = FieldBinder.Bind(template, fields, font.Covers, context.Bound);
        CheckContext(context, font);
        values[Placeholders.DocumentNumber] = context.DocumentNumber;
        values[Placeholders.IssueDate] = ChineseDate.Format(context.IssueDate);
        values[Placeholders.VerificationUrl] = context.VerificationUrl;

        var blocks = Resolve(template, values);
        var codePoints = new HashSet<int>();
        foreach (var (_, texts) in blocks)
        {
            foreach (var text in texts)
            {
                AddCodePoints(codePoints, text);
            }
        }

        if (context.Draft)
        {
            AddCodePoints(codePoints, RenderContext.DraftMark);
        }

        if (template.QrCode is { } qrSpec)
        {
            AddCodePoints(codePoints, qrSpec.Caption ?? string.Empty);
            AddCodePoints(codePoints, context.VerificationUrl);
        }

        using var typeface = font.CreateSubset(codePoints);
        using var layout = new PageLayout(typeface, template.MarginsMm);
        foreach (var (block, texts) in blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Text:
                    layout.AddText(block, texts[0]);
                    break;
                case BlockKind.Rule:
                    layout.AddRule(block);
                    break;
                case BlockKind.Spacer:
                    layout.AddSpace(block.HeightMm);
                    break;
                case BlockKind.Signature:
                    layout.AddSignature(block, texts, template.Seal.DiameterMm);
                    break;
            }
        }

        var pageCount = layout.Page + 1;
        if (pageCount > MaxPages)
        {
            throw new TemplateException(
                RenderErrorCodes.TooManyPages, $"the document needs {pageCount} pages; at most {MaxPages} allowed");
        }

        if (context.Draft)
        {
            layout.AddHeaderOnEveryPage(RenderContext.DraftMark, 14, template.MarginsMm.Top);
        }

        // The QR code goes on the last page, where the signature block normally ends the flow.
        var qrPage = layout.Page;
        SKRect? qrRect = null;
        if (template.QrCode is { } qr)
        {
            qrRect = SKRect.Create(PageGeometry.Mm(qr.XMm), PageGeometry.Mm(qr.YMm), PageGeometry.Mm(qr.SizeMm), PageGeometry.Mm(qr.SizeMm));
            LayOutQrCaption(layout, qr, qrRect.Value, context.VerificationUrl, template.MarginsMm);
        }

        Write(template, context, output, layout, pageCount, qrPage, qrRect, typeface);

        SealPlacement? placement = null;
        if (layout.SealRect is { } sealRect)
        {
            placement = new SealPlacement(
                layout.SealPage, sealRect.Left, PageGeometry.Height - sealRect.Bottom, sealRect.Width, sealRect.Height);
        }

        var lines = layout.Texts.Select(t => new LaidOutLine(t.Page, t.Text)).ToArray();
        return new RenderResult(pageCount, PageGeometry.Width, PageGeometry.Height, placement, lines);
    }

    private static void Write(
        DocumentTemplate template,
        RenderContext context,
        Stream output,
        PageLayout layout,
        int pageCount,
        int qrPage,
        SKRect? qrRect,
        SKTypeface typeface)
    {
        var created = (context.CreatedAt ?? DateTimeOffset.UtcNow).UtcDateTime;
        var metadata = new SKDocumentPdfMetadata
        {
            Title = template.Title,
            Subject = context.DocumentNumber,
            Creator = "SealService.Pdf",
            Producer = Producer,
            Creation = created,
            Modified = created,
            // 101 = lossless: below it Skia stores raster images as JPEG.
            EncodingQuality = 101,
            RasterDpi = 300,
        };

        using var document = SKDocument.CreatePdf(output, metadata)
            ?? throw new InvalidOperationException("PDF_CREATE_FAILED: Skia could not start a PDF document");
        using var textPaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var rectPaint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        for (var page = 0; page < pageCount; page++)
        {
            var canvas = document.BeginPage(PageGeometry.Width, PageGeometry.Height);
            foreach (var rect in layout.Rects)
            {
                if (rect.Page == page)
                {
                    rectPaint.Color = rect.Color;
                    canvas.DrawRect(rect.Rect, rectPaint);
                }
            }

            foreach (var text in layout.Texts)
            {
                if (text.Page == page)
                {
                    using var blob = SKTextBlob.CreateHorizontal(text.Text, layout.Font(text.Size), text.Offsets, 0);
                    if (blob is not null)
                    {
                        canvas.DrawText(blob, text.X, text.Baseline, textPaint);
                    }
                }
            }

            if (qrRect is { } qr && page == qrPage)
            {
                QrCodeDrawer.Draw(canvas, context.VerificationUrl, qr);
            }

            if (context.Draft)
            {
                DrawDraftMark(canvas, layout.Font(72));
            }

            document.EndPage();
        }

        document.Close();
    }

    /// <summary>The draft mark across the page as outlines (grey, not text, so it neither extracts nor reflows).</summary>
    private static void DrawDraftMark(SKCanvas canvas, SKFont font)
    {
        using var path = font.GetTextPath(RenderContext.DraftMark, SKPoint.Empty);
        var bounds = path.Bounds;
        using var paint = new SKPaint { Color = new SKColor(0x80, 0x80, 0x80, 0x50), IsAntialias = true, Style = SKPaintStyle.Fill };
        canvas.Save();
        canvas.Translate(PageGeometry.Width / 2, PageGeometry.Height / 2);
        canvas.RotateDegrees(-35);
        canvas.Translate(-bounds.MidX, -bounds.MidY);
        canvas.DrawPath(path, paint);
        canvas.Restore();
    }

    private static void LayOutQrCaption(
        PageLayout layout, QrCodeSpec qr, SKRect qrRect, string url, PageMargins margins)
    {
        var x = qrRect.Right + PageGeometry.Mm(3);
        // At most 50 mm wide: the seal's lower half may reach into the bottom margin on the right.
        var width = Math.Min(PageGeometry.Width - PageGeometry.Mm(margins.Right) - x, PageGeometry.Mm(50));
        if (width < PageGeometry.Mm(20))
        {
            return; // no room beside the code for a caption
        }

        var used = 0f;
        if (!string.IsNullOrEmpty(qr.Caption))
        {
            layout.AddFixedText(qr.Caption, x, qrRect.Top, width, 9, ref used);
        }

        if (qr.ShowUrl)
        {
            layout.AddFixedText(url, x, qrRect.Top, width, 7, ref used);
        }
    }

    private static List<(TemplateBlock Block, string[] Texts)> Resolve(
        DocumentTemplate template, Dictionary<string, string> values)
    {
        var blocks = new List<(TemplateBlock, string[])>(template.Blocks.Count);
        foreach (var block in template.Blocks)
        {
            if (block.When is { } when && (!values.TryGetValue(when, out var v) || v.Length == 0))
            {
                continue;
            }

            string[] texts = block.Kind switch
            {
                BlockKind.Text => [Placeholders.Fill(block.Text!, values)],
                BlockKind.Signature => block.Lines!.Select(l => Placeholders.Fill(l, values)).ToArray(),
                _ => [],
            };
            blocks.Add((block, texts));
        }

        return blocks;
    }

    private static void CheckContext(RenderContext context, DocumentFont font)
    {
        static TemplateException Invalid(string field, string why) =>
            new(RenderErrorCodes.ContextInvalid, $"{field} {why}", field);

        var number = context.DocumentNumber;
        if (string.IsNullOrWhiteSpace(number) || number.Length > RenderContext.MaxDocumentNumberLength)
        {
            throw Invalid(Placeholders.DocumentNumber, $"must be 1..{RenderContext.MaxDocumentNumberLength} characters");
        }

        foreach (var rune in number.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || !font.Covers(rune.Value))
            {
                throw Invalid(Placeholders.DocumentNumber, $"contains a character that cannot be printed (U+{rune.Value:X4})");
            }
        }

        var url = context.VerificationUrl;
        if (string.IsNullOrEmpty(url) || url.Length > RenderContext.MaxVerificationUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || url.Any(c => c <= ' ' || c > '~'))
        {
            throw Invalid(
                Placeholders.VerificationUrl,
                $"must be an absolute http(s) URL of printable ASCII, at most {RenderContext.MaxVerificationUrlLength} characters");
        }

        if (context.IssueDate.Year is < 2000 or > 2199)
        {
            throw Invalid(Placeholders.IssueDate, "must be within 2000..2199");
        }
    }

    private static void AddCodePoints(HashSet<int> set, string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            set.Add(rune.Value);
        }
    }
}
