using SealService.Pdf.Seals;

namespace SealService.Pdf.Rendering;

/// <summary>
/// Values the service supplies for every document: its number (文号), issue date (shown in
/// Chinese form), the public verification URL (QR code) and the seal face (null: no seal drawn,
/// the place for it is still reserved and reported).
/// </summary>
public sealed record RenderContext(string DocumentNumber, DateOnly IssueDate, string VerificationUrl, SealFace? Seal)
{
    public const int MaxDocumentNumberLength = 64;
    public const int MaxVerificationUrlLength = 512;

    /// <summary>PDF creation date; null means now. Fix it for byte-identical output.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>Where the seal sits: page (0-based) and rectangle in PDF points, origin bottom-left.</summary>
public sealed record SealPlacement(int PageIndex, float X, float Y, float Width, float Height)
{
    /// <summary>True when the seal image was drawn (a <see cref="RenderContext.Seal"/> was given).</summary>
    public bool Drawn { get; init; }
}

/// <summary>One line of text as laid out, in reading order.</summary>
public sealed record LaidOutLine(int PageIndex, string Text);

/// <summary>What the renderer produced, for the signer and for checks.</summary>
public sealed record RenderResult(
    int PageCount,
    float PageWidth,
    float PageHeight,
    SealPlacement? Seal,
    IReadOnlyList<LaidOutLine> Lines);
