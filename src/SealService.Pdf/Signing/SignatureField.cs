using SealService.Pdf.Parsing;

namespace SealService.Pdf.Signing;

/// <summary>
/// Signing into an existing empty signature field: the field (merged with its widget, at the top of /Fields) gets
/// /V and an appearance, and nothing else changes — no new annotation or field, which a certification with DocMDP
/// P=2 or P=3 would not allow.
/// </summary>
internal static class SignatureField
{
    private const int MaxFields = 10_000;

    public static SignaturePlan Fill(PdfFileReader reader, PdfDictionary catalog, IReadOnlyList<PdfPage> pages, SignatureOptions options,
        int maxSignatureSize, string fieldName)
    {
        var form = reader.ResolveDictionary(catalog["AcroForm"]);
        var match = TopLevel(reader, form).FirstOrDefault(f => f.Name == fieldName);
        if (match.Reference is null)
        {
            var empty = EmptyNames(reader, catalog);
            throw new PdfSigningException(PdfSigningException.SignatureFieldNotFound, empty.Count == 0
                ? $"the document has no signature field '{fieldName}' and no empty signature field at all"
                : $"the document has no signature field '{fieldName}'; its empty signature fields: {string.Join(", ", empty)}");
        }

        var field = match.Field;
        if (reader.Resolve(field["FT"]) is not PdfName { Value: "Sig" })
        {
            throw new PdfSigningException(PdfSigningException.SignatureFieldNotFound, $"the field '{fieldName}' is not a signature field");
        }

        if (field["V"] is not null and not PdfNull)
        {
            throw new PdfSigningException(PdfSigningException.SignatureFieldNotEmpty, $"the signature field '{fieldName}' is already signed");
        }

        if (field["Kids"] is not null || reader.Resolve(field["Subtype"]) is not PdfName { Value: "Widget" })
        {
            throw new PdfSigningException(PdfSigningException.SignatureFieldNotFound,
                $"the signature field '{fieldName}' has separate widget annotations; only a field merged with its widget can be signed into");
        }

        var pageNumber = PageOf(reader, pages, field, match.Reference);
        var rect = RectOf(reader, field);
        var update = new IncrementalUpdate(reader);
        var signature = SignaturePlan.AddSignature(reader, update, catalog, options, maxSignatureSize);
        var filled = field.Clone();
        filled["V"] = signature;
        filled["AP"] = new PdfDictionary { ["N"] = SignaturePlan.AddAppearance(update, options, rect) };
        update.Replace(match.Reference.Id.Number, filled);
        EnsureSigFlags(reader, update, catalog);
        return SignaturePlan.Filled(update, fieldName, pageNumber, rect);
    }

    /// <summary>Names of the top-level signature fields without a value, in /Fields order.</summary>
    public static IReadOnlyList<string> EmptyNames(PdfFileReader reader, PdfDictionary catalog) =>
        TopLevel(reader, reader.ResolveDictionary(catalog["AcroForm"]))
            .Where(f => reader.Resolve(f.Field["FT"]) is PdfName { Value: "Sig" } && f.Field["V"] is null or PdfNull)
            .Select(f => f.Name).ToList();

    public static bool HasSignatures(PdfFileReader reader, PdfDictionary catalog) =>
        TopLevel(reader, reader.ResolveDictionary(catalog["AcroForm"]))
            .Any(f => reader.Resolve(f.Field["FT"]) is PdfName { Value: "Sig" } && f.Field["V"] is not null and not PdfNull);

    private static IEnumerable<(PdfReference? Reference, PdfDictionary Field, string Name)> TopLevel(PdfFileReader reader, PdfDictionary? form)
    {
        if (reader.Resolve(form?["Fields"]) is not PdfArray fields)
        {
            yield break;
        }

        foreach (var item in fields.Items.Take(MaxFields))
        {
            if (item is PdfReference reference && reader.ResolveDictionary(reference) is { } field && reader.Resolve(field["T"]) is PdfString name)
            {
                yield return (reference, field, name.Text);
            }
        }
    }

    private static int PageOf(PdfFileReader reader, IReadOnlyList<PdfPage> pages, PdfDictionary field, PdfReference widget)
    {
        for (var i = 0; i < pages.Count; i++)
        {
            if (field["P"] is PdfReference p && p.Id.Number == pages[i].Id.Number
                || reader.Resolve(pages[i].Dictionary["Annots"]) is PdfArray annots && annots.Items.OfType<PdfReference>().Any(a => a.Id.Number == widget.Id.Number))
            {
                return i + 1;
            }
        }

        throw new PdfSigningException(PdfSigningException.SignatureFieldNotFound, "the signature field's widget is on no page of the document");
    }

    private static PdfRect RectOf(PdfFileReader reader, PdfDictionary field)
    {
        if (reader.Resolve(field["Rect"]) is not PdfArray { Count: 4 } r || r.Items.Any(i => reader.Resolve(i) is not PdfNumber))
        {
            throw new PdfSigningException(PdfSigningException.RectInvalid, "the signature field has no valid /Rect");
        }

        var n = r.Items.Select(i => ((PdfNumber)reader.Resolve(i)!).Value).ToArray();
        var (x0, x1) = (Math.Min(n[0], n[2]), Math.Max(n[0], n[2]));
        var (y0, y1) = (Math.Min(n[1], n[3]), Math.Max(n[1], n[3]));
        return new PdfRect(x0, y0, x1 - x0, y1 - y0); // zero size: an invisible signature, an empty appearance
    }

    private static void EnsureSigFlags(PdfFileReader reader, IncrementalUpdate update, PdfDictionary catalog)
    {
        var entry = catalog["AcroForm"];
        var form = reader.ResolveDictionary(entry)!;
        var flags = reader.Resolve(form["SigFlags"]) is PdfNumber f ? f.LongValue : 0;
        if ((flags & 3) == 3)
        {
            return;
        }

        var changed = form.Clone();
        changed["SigFlags"] = new PdfNumber(flags | 3);
        if (entry is PdfReference reference)
        {
            update.Replace(reference.Id.Number, changed);
            return;
        }

        var root = ((PdfReference)reader.Trailer["Root"]!).Id.Number;
        var newCatalog = update.Pending(root) ?? catalog.Clone();
        newCatalog["AcroForm"] = changed;
        update.Replace(root, newCatalog);
    }
}
