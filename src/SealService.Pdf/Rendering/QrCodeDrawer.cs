using QRCoder;
using SkiaSharp;

namespace SealService.Pdf.Rendering;

/// <summary>Draws a QR code as vector squares (sharp at any zoom, no image compression).</summary>
internal static class QrCodeDrawer
{
    private const int QuietZone = 4;

    internal static void Draw(SKCanvas canvas, string payload, SKRect bounds)
    {
        using var data = QRCodeGenerator.GenerateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        // QRCoder's matrix includes a 4-module quiet zone on each side; the page margin is white anyway.
        var modules = matrix.Count - (2 * QuietZone);
        var cell = Math.Min(bounds.Width, bounds.Height) / modules;
        using var builder = new SKPathBuilder();
        for (var row = 0; row < modules; row++)
        {
            var bits = matrix[row + QuietZone];
            var col = 0;
            while (col < modules)
            {
                if (!bits[col + QuietZone])
                {
                    col++;
                    continue;
                }

                var runStart = col;
                while (col < modules && bits[col + QuietZone])
                {
                    col++;
                }

                // One rectangle per horizontal run keeps the path short.
                builder.AddRect(
                    new SKRect(
                        bounds.Left + (runStart * cell),
                        bounds.Top + (row * cell),
                        bounds.Left + (col * cell),
                        bounds.Top + ((row + 1) * cell)),
                    SKPathDirection.Clockwise);
            }
        }

        using var path = builder.Detach();
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false, Style = SKPaintStyle.Fill };
        canvas.DrawPath(path, paint);
    }
}
