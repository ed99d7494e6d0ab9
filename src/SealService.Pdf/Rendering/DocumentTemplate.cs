using System.Text.Json;
using System.Text.Json.Serialization;

namespace SealService.Pdf.Rendering;

/// <summary>Kinds of template field value.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FieldType>))]
public enum FieldType
{
    /// <summary>One line of text.</summary>
    String,

    /// <summary>Multi-line text; each line break starts a new paragraph.</summary>
    Text,

    /// <summary>ISO date "yyyy-MM-dd", shown in Chinese form.</summary>
    Date,

    /// <summary>Whole number (JSON number).</summary>
    Integer,

    /// <summary>Decimal number (JSON number).</summary>
    Number,

    /// <summary>One of <see cref="TemplateField.Options"/>.</summary>
    Choice,
}

/// <summary>How a date field is written.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DateStyle>))]
public enum DateStyle
{
    /// <summary>2026年11月29日</summary>
    Arabic,

    /// <summary>二〇二六年十一月二十九日</summary>
    Chinese,
}

/// <summary>Kinds of layout block.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BlockKind>))]
public enum BlockKind
{
    /// <summary>Flowing, wrapped text.</summary>
    Text,

    /// <summary>Horizontal line across the text area (e.g. the red line under the heading).</summary>
    Rule,

    /// <summary>Vertical space.</summary>
    Spacer,

    /// <summary>Issuer and date, right side, with the seal over them.</summary>
    Signature,
}

/// <summary>Horizontal alignment of a text block.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BlockAlign>))]
public enum BlockAlign
{
    Justify,
    Left,
    Center,
    Right,
}

/// <summary>One input field a template accepts.</summary>
public sealed record TemplateField
{
    public required string Name { get; init; }

    /// <summary>Chinese label used in error messages.</summary>
    public string? Label { get; init; }

    public required FieldType Type { get; init; }

    public bool Required { get; init; }

    /// <summary>Maximum characters (code points); defaults: 100 for string, 2000 for text.</summary>
    public int? MaxLength { get; init; }

    public decimal? Min { get; init; }

    public decimal? Max { get; init; }

    public IReadOnlyList<string>? Options { get; init; }

    public DateStyle DateStyle { get; init; } = DateStyle.Arabic;

    /// <summary>
    /// When set, the value comes from the registry or the stamping (a <see cref="TemplateBindings"/> name), never from
    /// the caller: a request that sets the field is refused.
    /// </summary>
    public string? Bind { get; init; }

    internal int EffectiveMaxLength => MaxLength ?? (Type == FieldType.Text ? 2000 : 100);

    internal string DisplayName => Label is null ? Name : $"{Label}（{Name}）";
}

/// <summary>Page margins in millimetres.</summary>
public sealed record PageMargins(float Top, float Right, float Bottom, float Left);

/// <summary>One layout block; text may hold {field} placeholders.</summary>
public sealed record TemplateBlock
{
    public required BlockKind Kind { get; init; }

    /// <summary>Text with placeholders (text blocks).</summary>
    public string? Text { get; init; }

    /// <summary>Lines with placeholders (signature block): issuer first, date last.</summary>
    public IReadOnlyList<string>? Lines { get; init; }

    /// <summary>Font size in points (三号 = 16, 二号 = 22).</summary>
    public float FontSize { get; init; } = 16;

    public BlockAlign Align { get; init; } = BlockAlign.Justify;

    /// <summary>First-line indent of each paragraph, in ems (公文 body text: 2).</summary>
    public float FirstLineIndent { get; init; }

    /// <summary>Baseline distance as a multiple of the font size.</summary>
    public float LineSpacing { get; init; } = 1.75f;

    public float SpaceBeforeMm { get; init; }

    public float SpaceAfterMm { get; init; }

    /// <summary>Signature block: distance of the date's right end from the right margin, in ems.</summary>
    public float RightIndent { get; init; } = 4;

    /// <summary>Rule colour "#RRGGBB"; text is always black.</summary>
    public string? Color { get; init; }

    public float ThicknessMm { get; init; } = 0.5f;

    /// <summary>Spacer height.</summary>
    public float HeightMm { get; init; }

    /// <summary>The block is left out when this field is empty or absent.</summary>
    public string? When { get; init; }
}

/// <summary>Seal size; it is placed centred over the signature block.</summary>
public sealed record SealSpec
{
    public float DiameterMm { get; init; } = 42;
}

/// <summary>QR code of the verification URL; position from the page's top-left corner, in mm.</summary>
public sealed record QrCodeSpec
{
    public required float XMm { get; init; }

    public required float YMm { get; init; }

    public float SizeMm { get; init; } = 22;

    /// <summary>Text printed to the right of the code.</summary>
    public string? Caption { get; init; }

    /// <summary>Print the URL itself under the caption (for people without a phone).</summary>
    public bool ShowUrl { get; init; } = true;
}

/// <summary>A declarative document template (one JSON file in templates/).</summary>
public sealed record DocumentTemplate
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    /// <summary>
    /// The kind of document the template issues, by wire name in the file (acceptance-receipt, review-opinion, decision,
    /// certificate, certification, other; any other value fails the load). The policy decides on this kind, never on the
    /// caller's word.
    /// </summary>
    [JsonConverter(typeof(WireNameConverter<SealService.Domain.Model.DocumentKind>))]
    public required SealService.Domain.Model.DocumentKind DocumentKind { get; init; }

    public required PageMargins MarginsMm { get; init; }

    public required IReadOnlyList<TemplateField> Fields { get; init; }

    public required IReadOnlyList<TemplateBlock> Blocks { get; init; }

    public SealSpec Seal { get; init; } = new();

    public QrCodeSpec? QrCode { get; init; }

    /// <summary>Field by name, or null.</summary>
    public TemplateField? FindField(string name)
    {
        foreach (var field in Fields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                return field;
            }
        }

        return null;
    }
}

/// <summary>An enum by its kebab-case wire name (<see cref="SealService.Domain.Model.Wire"/>), e.g. acceptance-receipt.</summary>
internal sealed class WireNameConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    where T : struct, Enum;
