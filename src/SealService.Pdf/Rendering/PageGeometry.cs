namespace SealService.Pdf.Rendering;

/// <summary>A4 in millimetres and PDF points.</summary>
internal static class PageGeometry
{
    internal const float WidthMm = 210f;
    internal const float HeightMm = 297f;
    internal const float PointsPerMm = 72f / 25.4f;
    internal const float Width = WidthMm * PointsPerMm;
    internal const float Height = HeightMm * PointsPerMm;

    internal static float Mm(float mm) => mm * PointsPerMm;
}
