namespace SealService.Pdf.Parsing;

/// <summary>DocMDP permissions (ISO 32000-1 12.8.2.2): 1 no change, 2 fill forms and sign, 3 also annotate.</summary>
internal static class DocMdp
{
    /// <summary>
    /// P of the DocMDP entry in a /Reference array (a signature dictionary's, or /Perms /DocMDP's), or 0 when it has
    /// none. A missing or out-of-range /P means 2 (table 254).
    /// </summary>
    public static long Permissions(PdfFileReader reader, PdfObject? references)
    {
        if (reader.Resolve(references) is not PdfArray items)
        {
            return 0;
        }

        foreach (var item in items.Items)
        {
            var reference = reader.ResolveDictionary(item);
            if (reader.Resolve(reference?["TransformMethod"]) is PdfName { Value: "DocMDP" })
            {
                var parameters = reader.ResolveDictionary(reference?["TransformParams"]);
                return reader.Resolve(parameters?["P"]) is PdfNumber { LongValue: >= 1 and <= 3 } p ? p.LongValue : 2;
            }
        }

        return 0;
    }
}
