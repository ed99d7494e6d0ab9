using SealService.Pdf.Parsing;

namespace SealService.Pdf.Signing;

/// <summary>Decides which objects the signature adds and which it replaces, from the file as read.</summary>
internal sealed class SignaturePlan
{
    private const double Margin = 36; // half an inch from the page edges

    private SignaturePlan(IncrementalUpdate update, string fieldName, int pageNumber, PdfRect rect)
    {
        Update = update;
        FieldName = fieldName;
        PageNumber = pageNumber;
        Rect = rect;
    }

    public IncrementalUpdate Update { get; }

    public string FieldName { get; }

    public int PageNumber { get; }

    public PdfRect Rect { get; }

    public static SignaturePlan Create(PdfFileReader reader, SignatureOptions options, int maxSignatureSize)
    {
        var catalog = PdfPageTree.Catalog(reader);
        EnsureSigningAllowed(reader, catalog);
        var pages = PdfPageTree.Pages(reader);
        var pageNumber = options.Page == 0 ? pages.Count : options.Page;
        if (pageNumber < 1 || pageNumber > pages.Count)
        {
            throw new PdfSigningException(PdfSigningException.PageOutOfRange,
                $"page {options.Page} is outside 1..{pages.Count}");
        }

        var page = pages[pageNumber - 1];
        var rect = options.Rect ?? DefaultRect(page.VisibleBox);
        if (!double.IsFinite(rect.X) || !double.IsFinite(rect.Y) || rect.Width is <= 0 or > 14400 || rect.Height is <= 0 or > 14400
            || Math.Abs(rect.X) > 14400 || Math.Abs(rect.Y) > 14400)
        {
            throw new PdfSigningException(PdfSigningException.RectInvalid, "seal rectangle must have a positive size within the PDF limits");
        }

        var update = new IncrementalUpdate(reader);
        var pageRef = new PdfReference(page.Id);
        var signature = update.Add(SignatureObjects.SignatureDictionary(options, maxSignatureSize));

        PdfReference? image = null;
        var aspect = 1.0;
        if (options.Appearance is { } appearance)
        {
            aspect = (double)appearance.Width / appearance.Height;
            var (img, mask) = SignatureObjects.Image(appearance);
            img.Dictionary["SMask"] = update.Add(mask);
            image = update.Add(img);
        }

        var form = update.Add(SignatureObjects.AppearanceForm(rect, image, aspect));
        var widgetId = update.Allocate();
        var fieldName = $"Seal{widgetId.Number}";
        var widget = new PdfReference(widgetId);
        update.Set(widgetId, SignatureObjects.Widget(fieldName, signature, pageRef, rect, form));

        AddAnnotation(reader, update, page, widget);
        AddField(reader, update, catalog, widget);
        return new SignaturePlan(update, fieldName, pageNumber, rect);
    }

    private static PdfRect DefaultRect(PdfRect box)
    {
        var size = Math.Min(SignatureOptions.DefaultSealSize, Math.Min(box.Width, box.Height) / 2);
        return new PdfRect(box.Right - Margin - size, box.Y + Margin, size, size);
    }

    private static void AddAnnotation(PdfFileReader reader, IncrementalUpdate update, PdfPage page, PdfReference widget)
    {
        var annots = page.Dictionary["Annots"];
        if (annots is PdfReference annotsRef)
        {
            // An indirect /Annots array is replaced in place; the page itself stays untouched.
            var existing = reader.Resolve(annotsRef) as PdfArray
                ?? throw PdfFormatException.Bad("page /Annots does not refer to an array");
            update.Replace(annotsRef.Id.Number, Append(existing, widget));
            return;
        }

        var newPage = page.Dictionary.Clone();
        newPage["Annots"] = annots is PdfArray direct ? Append(direct, widget) : new PdfArray([widget]);
        update.Replace(page.Id.Number, newPage);
    }

    private static void AddField(PdfFileReader reader, IncrementalUpdate update, PdfDictionary catalog, PdfReference widget)
    {
        var acroFormEntry = catalog["AcroForm"];
        var acroForm = reader.ResolveDictionary(acroFormEntry)?.Clone() ?? new PdfDictionary();
        if (acroForm["Fields"] is PdfReference fieldsRef)
        {
            var fields = reader.Resolve(fieldsRef) as PdfArray
                ?? throw PdfFormatException.Bad("/AcroForm /Fields does not refer to an array");
            update.Replace(fieldsRef.Id.Number, Append(fields, widget));
        }
        else
        {
            acroForm["Fields"] = acroForm["Fields"] is PdfArray fields ? Append(fields, widget) : new PdfArray([widget]);
        }

        var flags = reader.Resolve(acroForm["SigFlags"]) is PdfNumber f ? f.LongValue : 0;
        acroForm["SigFlags"] = new PdfNumber(flags | 3); // SignaturesExist | AppendOnly

        if (acroFormEntry is PdfReference acroFormRef)
        {
            update.Replace(acroFormRef.Id.Number, acroForm);
            return;
        }

        var newCatalog = catalog.Clone();
        newCatalog["AcroForm"] = update.Add(acroForm);
        update.Replace(((PdfReference)reader.Trailer["Root"]!).Id.Number, newCatalog);
    }

    private static PdfArray Append(PdfArray array, PdfObject item)
    {
        var copy = new PdfArray(array.Items);
        copy.Items.Add(item);
        return copy;
    }

    /// <summary>A certification signature with DocMDP P=1 forbids any further change, signatures included.</summary>
    private static void EnsureSigningAllowed(PdfFileReader reader, PdfDictionary catalog)
    {
        var perms = reader.ResolveDictionary(catalog["Perms"]);
        var docMdp = reader.ResolveDictionary(perms?["DocMDP"]);
        if (docMdp is null || reader.Resolve(docMdp["Reference"]) is not PdfArray references)
        {
            return;
        }

        foreach (var item in references.Items)
        {
            var reference = reader.ResolveDictionary(item);
            var parameters = reader.ResolveDictionary(reference?["TransformParams"]);
            if (reader.Resolve(reference?["TransformMethod"]) is PdfName { Value: "DocMDP" }
                && reader.Resolve(parameters?["P"]) is PdfNumber { LongValue: 1 })
            {
                throw new PdfSigningException(PdfSigningException.SigningForbidden,
                    "the document is certified with no changes allowed (DocMDP P=1)");
            }
        }
    }
}
