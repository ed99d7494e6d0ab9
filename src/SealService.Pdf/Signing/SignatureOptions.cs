using SealService.Keys;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Signing;

/// <summary>What to sign with and where the seal goes.</summary>
public sealed record SignatureOptions
{
    public const int MaxTextLength = 256;

    public PadesLevel Level { get; init; } = PadesLevel.BaselineB;

    /// <summary>1-based page; 0 means the last page.</summary>
    public int Page { get; init; }

    /// <summary>Widget rectangle in PDF points; null means the default spot at the page's bottom right.</summary>
    public PdfRect? Rect { get; init; }

    public SealAppearance? Appearance { get; init; }

    /// <summary>
    /// Sign into this existing empty signature field (its /T) instead of adding one; its widget's page and rectangle
    /// win over <see cref="Page"/> and <see cref="Rect"/>. A document certified with DocMDP P=2 or P=3 can only be
    /// signed this way, since those permissions allow filling fields but not adding them.
    /// </summary>
    public string? FieldName { get; init; }

    /// <summary>
    /// Make this a certification signature with DocMDP permissions 1 (no change), 2 (fill forms, sign) or 3 (also
    /// annotate); null for an approval signature. Only a document without signatures can be certified.
    /// </summary>
    public int? CertifyPermissions { get; init; }

    /// <summary>A document time-stamp (PAdES B-LTA, ETSI.RFC3161): an invisible field whose /Contents is a TSA token.</summary>
    internal bool DocumentTimestamp { get; init; }

    /// <summary>Tests only: sign a certified document as if it were not, to build the inputs a verifier must reject.</summary>
    internal bool IgnoreCertification { get; init; }

    public string? Name { get; init; }

    public string? Reason { get; init; }

    public string? Location { get; init; }

    public string? ContactInfo { get; init; }

    /// <summary>Signed CMS attributes beyond the baseline (the stamp scope); their size is reserved on top.</summary>
    public IReadOnlyList<CmsSignedAttribute> SignedAttributes { get; init; } = [];

    /// <summary>
    /// The caller has already run <see cref="PdfFileReader.CheckStrict"/> on this input (a staged upload) or produced it
    /// itself (a rendered template): skip the second pass. Off by default: every other input is checked.
    /// </summary>
    public bool InputChecked { get; init; }

    /// <summary>Written to /M in China Standard Time (UTC+8).</summary>
    public DateTimeOffset SigningTime { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Size of the default seal square in points (about 42 mm, a common seal diameter).</summary>
    public const double DefaultSealSize = 120;
}
