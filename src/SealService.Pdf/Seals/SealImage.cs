using SealService.Pdf.Fonts;
using SkiaSharp;

namespace SealService.Pdf.Seals;

/// <summary>
/// Draws the round red seal: ring, body name along the upper arc, five-pointed star, purpose
/// text and holder below it. Pure function of (face, bounds): the same text gives the same drawing.
/// </summary>
public static class SealImage
{
    /// <summary>Seal red (GB 2312 seal ink is close to this; same value as the 中国红 #E60012).</summary>
    public static readonly SKColor SealRed = new(0xE6, 0x00, 0x12);

    /// <summary>Largest PNG edge accepted by <see cref="RenderPng"/>.</summary>
    public const int MaxPngSize = 4096;

    /// <summary>
    /// Draws on any canvas (raster or PDF). The text uses a font subset made for this seal only;
    /// a document renderer that already has a subset for the page should use the overload taking it.
    /// </summary>
    public static void Draw(SKCanvas canvas, SealFace face, SKRect bounds)
    {
        ArgumentNullException.ThrowIfNull(face);
        using var typeface = DocumentFont.Shared.CreateSubset(CodePoints(face.DrawnText));
        Draw(canvas, face, bounds, typeface);
    }

    /// <summary>Draws with a caller-supplied typeface that covers <see cref="SealFace.DrawnText"/>.</summary>
    public static void Draw(SKCanvas canvas, SealFace face, SKRect bounds, SKTypeface typeface)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(face);
        ArgumentNullException.ThrowIfNull(typeface);
        var radius = Math.Min(bounds.Width, bounds.Height) / 2f;
        if (radius <= 0)
        {
            return;
        }

        var cx = bounds.MidX;
        var cy = bounds.MidY;
        using var paint = new SKPaint { Color = SealRed, IsAntialias = true, BlendMode = SKBlendMode.Multiply };

        var ring = radius * 0.06f;
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = ring;
        canvas.DrawCircle(cx, cy, radius - (ring / 2f), paint);
        paint.Style = SKPaintStyle.Fill;

        DrawStar(canvas, cx, cy, radius * 0.27f, paint);
        DrawArcText(canvas, face.BodyName, cx, cy, radius, ring, typeface, paint);

        if (face.Purpose.Length > 0)
        {
            DrawCentred(canvas, face.Purpose, cx, cy + (radius * 0.52f), radius * 0.2f, radius * 1.3f, typeface, paint);
        }

        if (!string.IsNullOrEmpty(face.HolderName))
        {
            var holder = $"（{face.HolderName}）";
            DrawCentred(canvas, holder, cx, cy + (radius * 0.75f), radius * 0.15f, radius * 1.1f, typeface, paint);
        }
    }

    /// <summary>The seal as a square PNG with a transparent background.</summary>
    public static byte[] RenderPng(SealFace face, int sizePx)
    {
        ArgumentNullException.ThrowIfNull(face);
        ArgumentOutOfRangeException.ThrowIfLessThan(sizePx, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sizePx, MaxPngSize);
        var info = new SKImageInfo(sizePx, sizePx, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException("SEAL_RENDER_FAILED: could not allocate a raster surface");
        surface.Canvas.Clear(SKColors.Transparent);
        Draw(surface.Canvas, face, new SKRect(0, 0, sizePx, sizePx));
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    internal static IEnumerable<int> CodePoints(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            yield return rune.Value;
        }
    }

    // Characters fit on up to 250° of the upper arc, upright with their tops toward the ring.
    private static void DrawArcText(
        SKCanvas canvas, string text, float cx, float cy, float radius, float ring, SKTypeface typeface, SKPaint paint)
    {
        var chars = text.EnumerateRunes().Select(r => r.ToString()).ToArray();
        if (chars.Length == 0)
        {
            return;
        }

        const double maxSpan = 250.0 * Math.PI / 180.0;
        var size = radius * 0.26f;
        double baselineRadius, step;
        while (true)
        {
            baselineRadius = radius - ring - (radius * 0.05f) - (size * 0.88f);
            var middle = baselineRadius + (size * 0.44f);
            step = size * 1.08 / middle;
            if (step * chars.Length <= maxSpan || size < radius * 0.08f)
            {
                break;
            }

            size *= 0.95f;
        }

        // Few characters spread out to a pleasant minimum span instead of huddling at the top.
        var span = Math.Max(step * chars.Length, Math.Min(maxSpan, 150.0 * Math.PI / 180.0));
        var angleStep = span / chars.Length;
        using var font = new SKFont(typeface, size) { Hinting = SKFontHinting.None, Subpixel = true };
        for (var i = 0; i < chars.Length; i++)
        {
            var angle = (-Math.PI / 2) - (span / 2) + (angleStep * (i + 0.5));
            var x = cx + (float)(baselineRadius * Math.Cos(angle));
            var y = cy + (float)(baselineRadius * Math.Sin(angle));
            canvas.Save();
            canvas.Translate(x, y);
            canvas.RotateRadians((float)(angle + (Math.PI / 2)));
            canvas.DrawText(chars[i], 0, 0, SKTextAlign.Center, font, paint);
            canvas.Restore();
        }
    }

    // Like a carved seal, long lines are first condensed (down to 60 % width), then made smaller.
    private static void DrawCentred(
        SKCanvas canvas, string text, float cx, float baseline, float size, float maxWidth, SKTypeface typeface, SKPaint paint)
    {
        var count = Math.Max(1, text.EnumerateRunes().Count());
        var natural = count * size; // CJK glyphs are one em wide
        var scaleX = Math.Clamp(maxWidth / natural, 0.6f, 1f);
        if (natural * scaleX > maxWidth)
        {
            size = maxWidth / (count * scaleX);
        }

        using var font = new SKFont(typeface, size) { Hinting = SKFontHinting.None, Subpixel = true, ScaleX = scaleX };
        canvas.DrawText(text, cx, baseline, SKTextAlign.Center, font, paint);
    }

    private static void DrawStar(SKCanvas canvas, float cx, float cy, float outer, SKPaint paint)
    {
        var inner = outer * 0.382f;
        using var builder = new SKPathBuilder();
        for (var i = 0; i < 10; i++)
        {
            var r = i % 2 == 0 ? outer : inner;
            var angle = (-Math.PI / 2) + (i * Math.PI / 5);
            var point = new SKPoint(cx + (float)(r * Math.Cos(angle)), cy + (float)(r * Math.Sin(angle)));
            if (i == 0)
            {
                builder.MoveTo(point);
            }
            else
            {
                builder.LineTo(point);
            }
        }

        builder.Close();
        using var path = builder.Detach();
        canvas.DrawPath(path, paint);
    }
}
