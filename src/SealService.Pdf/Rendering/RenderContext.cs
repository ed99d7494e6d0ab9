namespace SealService.Pdf.Rendering;

/// <summary>
/// Values the service supplies for every document: its number (文号), issue date (shown in Chinese form) and the public
/// verification URL (QR code). The seal is never drawn into the page: its place is reserved and reported, and only the
/// signature's widget shows it.
/// </summary>
public sealed record RenderContext(string DocumentNumber, DateOnly IssueDate, string VerificationUrl)
{
    public const int MaxDocumentNumberLength = 64;
    public const int MaxVerificationUrlLength = 512;
    public const int MaxBoundValueLength = 400;

    /// <summary>Printed at the top of every page of a draft, and drawn large across it.</summary>
    public const string DraftMark = "样稿 · 未签章";

    /// <summary>
    /// Values of the template's bound fields, by binding name (<see cref="TemplateBindings"/>): registry facts and the
    /// stamping's own, which no caller may set.
    /// </summary>
    public IReadOnlyDictionary<string, string> Bound { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A draft (the default) carries the visible mark <see cref="DraftMark"/>; only the service, rendering a document it
    /// signs at once, turns it off.
    /// </summary>
    public bool Draft { get; init; } = true;

    /// <summary>PDF creation date; null means now. Fix it for byte-identical output.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>Where the seal sits: page (0-based) and rectangle in PDF points, origin bottom-left.</summary>
public sealed record SealPlacement(int PageIndex, float X, float Y, float Width, float Height);

/// <summary>One line of text as laid out, in reading order.</summary>
public sealed record LaidOutLine(int PageIndex, string Text);

/// <summary>What the renderer produced, for the signer and for checks.</summary>
public sealed record RenderResult(
    int PageCount,
    float PageWidth,
    float PageHeight,
    SealPlacement? Seal,
    IReadOnlyList<LaidOutLine> Lines);
