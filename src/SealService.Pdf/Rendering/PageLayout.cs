using SkiaSharp;

namespace SealService.Pdf.Rendering;

/// <summary>One positioned line of text: glyph x offsets relative to <see cref="X"/>.</summary>
internal sealed record TextOp(int Page, string Text, float X, float Baseline, float Size, float[] Offsets);

/// <summary>A filled rectangle (rules).</summary>
internal sealed record RectOp(int Page, SKRect Rect, SKColor Color);

/// <summary>
/// Flows resolved blocks down A4 pages. Works in Skia's page coordinates (points, origin
/// top-left); the result converts the seal rectangle to PDF's bottom-left origin.
/// </summary>
internal sealed class PageLayout : IDisposable
{
    private readonly SKTypeface typeface;
    private readonly Dictionary<float, SKFont> fonts = [];
    private readonly float left;
    private readonly float right;
    private readonly float top;
    private readonly float bottom;
    private float y;

    internal PageLayout(SKTypeface typeface, PageMargins margins)
    {
        this.typeface = typeface;
        left = PageGeometry.Mm(margins.Left);
        right = PageGeometry.Width - PageGeometry.Mm(margins.Right);
        top = PageGeometry.Mm(margins.Top);
        bottom = PageGeometry.Height - PageGeometry.Mm(margins.Bottom);
        y = top;
    }

    internal int Page { get; private set; }

    internal List<TextOp> Texts { get; } = [];

    internal List<RectOp> Rects { get; } = [];

    internal SKRect? SealRect { get; private set; }

    internal int SealPage { get; private set; }

    private float Width => right - left;

    public void Dispose()
    {
        foreach (var font in fonts.Values)
        {
            font.Dispose();
        }
    }

    internal void AddText(TemplateBlock block, string text)
    {
        y += PageGeometry.Mm(block.SpaceBeforeMm);
        var font = Font(block.FontSize);
        var lineHeight = block.FontSize * block.LineSpacing;
        var indent = block.FirstLineIndent * block.FontSize;
        foreach (var paragraph in text.Split('\n'))
        {
            var (cps, advances) = Measure(font, paragraph);
            var lines = LineBreaker.Break(cps, advances, Width - indent, Width);
            for (var i = 0; i < lines.Count; i++)
            {
                var (start, end) = lines[i];
                if (y + lineHeight > bottom)
                {
                    NewPage();
                }

                var lineIndent = i == 0 ? indent : 0;
                var available = Width - lineIndent;
                var justify = block.Align == BlockAlign.Justify && i < lines.Count - 1;
                var offsets = Offsets(cps, advances, start, end, available, justify, block.FontSize, out var used);
                var x = left + lineIndent + block.Align switch
                {
                    BlockAlign.Center => (available - used) / 2,
                    BlockAlign.Right => available - used,
                    _ => 0,
                };
                Emit(cps, start, end, x, y + Baseline(lineHeight, block.FontSize), block.FontSize, offsets);
                y += lineHeight;
            }
        }

        y += PageGeometry.Mm(block.SpaceAfterMm);
    }

    internal void AddRule(TemplateBlock block)
    {
        var thickness = PageGeometry.Mm(block.ThicknessMm);
        y += PageGeometry.Mm(block.SpaceBeforeMm);
        if (y + thickness > bottom)
        {
            NewPage();
        }

        var color = block.Color is null ? SKColors.Black : TemplateChecker.ParseColor(block.Color)!.Value;
        Rects.Add(new RectOp(Page, new SKRect(left, y, right, y + thickness), color));
        y += thickness + PageGeometry.Mm(block.SpaceAfterMm);
    }

    internal void AddSpace(float mm) => y += PageGeometry.Mm(mm);

    /// <summary>
    /// Issuer and date at the right (date "右空四字", issuer centred over it), kept on one page,
    /// with the seal centred over both; the block is as tall as the seal so it never covers the body.
    /// </summary>
    internal void AddSignature(TemplateBlock block, IReadOnlyList<string> lineTexts, float sealDiameterMm)
    {
        var font = Font(block.FontSize);
        var lineHeight = block.FontSize * block.LineSpacing;
        var measured = new List<(int[] Cps, float[] Advances, int Start, int End, float Width)>();
        foreach (var text in lineTexts)
        {
            var (cps, advances) = Measure(font, text);
            foreach (var (start, end) in LineBreaker.Break(cps, advances, Width, Width))
            {
                measured.Add((cps, advances, start, end, LineBreaker.Sum(advances, start, end)));
            }
        }

        var seal = PageGeometry.Mm(sealDiameterMm);
        var height = Math.Max(seal, measured.Count * lineHeight);
        // The text lines must fit above the bottom margin; the lower part of the seal may reach
        // into the margin (as a hand stamp would), but never off the page's last 10 mm.
        var overhang = (height - (measured.Count * lineHeight)) / 2;
        y += PageGeometry.Mm(block.SpaceBeforeMm);
        if (y + height - overhang > bottom || y + height > PageGeometry.Height - PageGeometry.Mm(10))
        {
            NewPage();
        }

        var last = measured.Count > 0 ? measured[^1].Width : 0;
        var centre = right - (block.RightIndent * block.FontSize) - (last / 2);
        var lineTop = y + ((height - (measured.Count * lineHeight)) / 2);
        foreach (var (cps, advances, start, end, width) in measured)
        {
            var x = Math.Clamp(centre - (width / 2), left, Math.Max(left, right - width));
            var offsets = Offsets(cps, advances, start, end, width, false, block.FontSize, out _);
            Emit(cps, start, end, x, lineTop + Baseline(lineHeight, block.FontSize), block.FontSize, offsets);
            lineTop += lineHeight;
        }

        var sealX = Math.Clamp(centre - (seal / 2), left, right - seal);
        SealRect = new SKRect(sealX, y + ((height - seal) / 2), sealX + seal, y + ((height + seal) / 2));
        SealPage = Page;
        y += height + PageGeometry.Mm(block.SpaceAfterMm);
    }

    /// <summary>Lines of text in a fixed box (QR caption); no paging.</summary>
    internal void AddFixedText(string text, float x, float boxTop, float width, float size, ref float used)
    {
        var font = Font(size);
        var (cps, advances) = Measure(font, text);
        var lineHeight = size * 1.4f;
        foreach (var (start, end) in LineBreaker.Break(cps, advances, width, width))
        {
            var offsets = Offsets(cps, advances, start, end, width, false, size, out _);
            Emit(cps, start, end, x, boxTop + used + Baseline(lineHeight, size), size, offsets);
            used += lineHeight;
        }
    }

    /// <summary>One centred line in the top margin of every page so far (the draft mark).</summary>
    internal void AddHeaderOnEveryPage(string text, float size, float marginTop)
    {
        var font = Font(size);
        var (cps, advances) = Measure(font, text);
        var offsets = Offsets(cps, advances, 0, cps.Length, PageGeometry.Width, false, size, out var used);
        var x = (PageGeometry.Width - used) / 2;
        var baseline = (PageGeometry.Mm(marginTop) / 2) + (0.38f * size);
        for (var page = 0; page <= Page; page++)
        {
            // First on its page, so that text extraction reads it before the body.
            var at = Texts.FindIndex(t => t.Page >= page);
            Texts.Insert(at < 0 ? Texts.Count : at, new TextOp(page, text, x, baseline, size, offsets));
        }
    }

    internal SKFont Font(float size)
    {
        if (!fonts.TryGetValue(size, out var font))
        {
            // No hinting: the subset carries no instructions, and FreeType's auto-hinter would cost ~20 µs a glyph for nothing in a PDF.
            font = new SKFont(typeface, size) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None };
            fonts[size] = font;
        }

        return font;
    }

    // CJK glyphs sit between ~0.88 em above and ~0.12 em below the baseline: centre them in the line box.
    private static float Baseline(float lineHeight, float size) => (lineHeight / 2) + (0.38f * size);

    private static (int[] Cps, float[] Advances) Measure(SKFont font, string text)
    {
        var cps = new int[text.Length];
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            cps[count++] = rune.Value;
        }

        Array.Resize(ref cps, count);
        var glyphs = font.GetGlyphs(cps);
        var advances = font.GetGlyphWidths(glyphs, null);
        return (cps, advances);
    }

    private static float[] Offsets(
        int[] cps, float[] advances, int start, int end, float available, bool justify, float size, out float used)
    {
        var visibleEnd = end;
        while (visibleEnd > start && cps[visibleEnd - 1] == ' ')
        {
            visibleEnd--;
        }

        used = LineBreaker.Sum(advances, start, visibleEnd);
        var gap = 0f;
        var gaps = visibleEnd - start - 1;
        var extra = available - used;
        // Spread the line to both margins unless it is short for a reason (e.g. a long word moved on).
        if (justify && gaps > 0 && extra > 0 && extra < size * 3)
        {
            gap = extra / gaps;
            used = available;
        }

        var offsets = new float[end - start];
        var x = 0f;
        for (var i = start; i < end; i++)
        {
            offsets[i - start] = x;
            x += advances[i] + (i < visibleEnd ? gap : 0);
        }

        return offsets;
    }

    private void Emit(int[] cps, int start, int end, float x, float baseline, float size, float[] offsets)
    {
        if (end <= start)
        {
            return;
        }

        var builder = new System.Text.StringBuilder(end - start);
        for (var i = start; i < end; i++)
        {
            if (cps[i] <= 0xFFFF)
            {
                builder.Append((char)cps[i]);
            }
            else
            {
                builder.Append(char.ConvertFromUtf32(cps[i]));
            }
        }

        Texts.Add(new TextOp(Page, builder.ToString(), x, baseline, size, offsets));
    }

    private void NewPage()
    {
        Page++;
        y = top;
    }
}
