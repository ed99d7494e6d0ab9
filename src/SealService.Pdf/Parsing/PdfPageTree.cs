namespace SealService.Pdf.Parsing;

/// <summary>A page with what it inherits from its /Pages ancestors.</summary>
public sealed record PdfPage(PdfObjectId Id, PdfDictionary Dictionary, PdfRect MediaBox, PdfRect? CropBox, int Rotate)
{
    /// <summary>The visible area: CropBox if set, else MediaBox.</summary>
    public PdfRect VisibleBox => CropBox ?? MediaBox;
}

/// <summary>A rectangle in PDF points: lower-left corner, width, height.</summary>
public readonly record struct PdfRect(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Top => Y + Height;

    /// <summary>From a PDF rectangle array [llx lly urx ury] (corners in any order).</summary>
    public static PdfRect? FromArray(PdfArray? a)
    {
        if (a is not { Count: 4 } || a.Items.Any(i => i is not PdfNumber))
        {
            return null;
        }

        var v = a.Items.Select(i => ((PdfNumber)i).Value).ToArray();
        return new PdfRect(Math.Min(v[0], v[2]), Math.Min(v[1], v[3]), Math.Abs(v[2] - v[0]), Math.Abs(v[3] - v[1]));
    }
}

/// <summary>Walks the catalog's /Pages tree (guarding against cycles and absurd depth).</summary>
public static class PdfPageTree
{
    private const int MaxDepth = 64;

    public static PdfDictionary Catalog(PdfFileReader reader) =>
        reader.ResolveDictionary(reader.Trailer["Root"]) is { } root && root["Type"] is PdfName { Value: "Catalog" } or null
            ? root
            : throw PdfFormatException.Bad("/Root is not a catalog dictionary");

    public static IReadOnlyList<PdfPage> Pages(PdfFileReader reader)
    {
        var catalog = Catalog(reader);
        if (catalog["Pages"] is not PdfReference pagesRef)
        {
            throw PdfFormatException.Bad("catalog has no /Pages reference");
        }

        var pages = new List<PdfPage>();
        var seen = new HashSet<int>();
        Walk(reader, pagesRef, new Inherited(null, null, 0), pages, seen, 0);
        if (pages.Count == 0)
        {
            throw PdfFormatException.Bad("the document has no pages");
        }

        return pages;
    }

    private static void Walk(PdfFileReader reader, PdfReference nodeRef, Inherited inherited, List<PdfPage> pages, HashSet<int> seen, int depth)
    {
        if (depth > MaxDepth || !seen.Add(nodeRef.Id.Number))
        {
            throw PdfFormatException.Bad("page tree is cyclic or too deep");
        }

        if (reader.GetObject(nodeRef.Id.Number) is not PdfDictionary node)
        {
            throw PdfFormatException.Bad($"page tree node {nodeRef.Id} is not a dictionary");
        }

        var media = PdfRect.FromArray(reader.Resolve(node["MediaBox"]) as PdfArray) ?? inherited.MediaBox;
        var crop = PdfRect.FromArray(reader.Resolve(node["CropBox"]) as PdfArray) ?? inherited.CropBox;
        var rotate = reader.Resolve(node["Rotate"]) is PdfNumber r ? (int)r.LongValue : inherited.Rotate;
        var type = node["Type"] as PdfName;
        if (type?.Value == "Pages" || (type is null && node.ContainsKey("Kids")))
        {
            if (reader.Resolve(node["Kids"]) is not PdfArray kids)
            {
                throw PdfFormatException.Bad($"page tree node {nodeRef.Id} has no /Kids");
            }

            foreach (var kid in kids.Items)
            {
                if (kid is not PdfReference kidRef)
                {
                    throw PdfFormatException.Bad("page tree /Kids entries must be references");
                }

                Walk(reader, kidRef, new Inherited(media, crop, rotate), pages, seen, depth + 1);
            }
        }
        else
        {
            var box = media ?? throw PdfFormatException.Bad($"page {nodeRef.Id} has no /MediaBox");
            pages.Add(new PdfPage(new PdfObjectId(nodeRef.Id.Number, reader.GenerationOf(nodeRef.Id.Number)), node, box, crop, ((rotate % 360) + 360) % 360));
        }
    }

    private sealed record Inherited(PdfRect? MediaBox, PdfRect? CropBox, int Rotate);
}
