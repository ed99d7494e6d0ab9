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
        // PAdES (EN 319 142-1, 5.4) lets validation data and document time-stamps follow any certification.
        var permissions = options.DocumentTimestamp || options.IgnoreCertification ? 0 : CertifiedPermissions(reader, catalog);
        if (permissions == 1)
        {
            throw new PdfSigningException(PdfSigningException.SigningForbidden, "the document is certified with no changes allowed (DocMDP P=1)");
        }

        var pages = PdfPageTree.Pages(reader);
        if (options.FieldName is { } requested)
        {
            return SignatureField.Fill(reader, catalog, pages, options, maxSignatureSize, requested);
        }

        if (permissions is 2 or 3)
        {
            var empty = SignatureField.EmptyNames(reader, catalog);
            throw new PdfSigningException(PdfSigningException.CertifiedNeedsField, empty.Count == 0
                ? $"the document is certified (DocMDP P={permissions}): it allows filling existing signature fields only, and it has no empty one"
                : $"the document is certified (DocMDP P={permissions}): it allows filling existing signature fields only; name one of its empty fields: {string.Join(", ", empty)}");
        }

        var pageNumber = options.Page == 0 ? pages.Count : options.Page;
        if (pageNumber < 1 || pageNumber > pages.Count)
        {
            throw new PdfSigningException(PdfSigningException.PageOutOfRange,
                $"page {options.Page} is outside 1..{pages.Count}");
        }

        var page = pages[pageNumber - 1];
        var rect = options.DocumentTimestamp ? new PdfRect(0, 0, 0, 0) : options.Rect ?? DefaultRect(page.VisibleBox);
        if (!options.DocumentTimestamp // invisible: no rectangle to check
            && (!double.IsFinite(rect.X) || !double.IsFinite(rect.Y) || rect.Width is <= 0 or > 14400 || rect.Height is <= 0 or > 14400
                || Math.Abs(rect.X) > 14400 || Math.Abs(rect.Y) > 14400))
        {
            throw new PdfSigningException(PdfSigningException.RectInvalid, "seal rectangle must have a positive size within the PDF limits");
        }

        var update = new IncrementalUpdate(reader);
        var pageRef = new PdfReference(page.Id);
        var signature = AddSignature(reader, update, catalog, options, maxSignatureSize);
        var form = AddAppearance(update, options, rect);
        var widgetId = update.Allocate();
        var fieldName = $"Seal{widgetId.Number}";
        var widget = new PdfReference(widgetId);
        update.Set(widgetId, SignatureObjects.Widget(fieldName, signature, pageRef, rect, form));

        AddAnnotation(reader, update, page, widget);
        AddField(reader, update, catalog, widget);
        return new SignaturePlan(update, fieldName, pageNumber, rect);
    }

    internal static SignaturePlan Filled(IncrementalUpdate update, string fieldName, int pageNumber, PdfRect rect) => new(update, fieldName, pageNumber, rect);

    /// <summary>The signature dictionary; a certification signature also gets its DocMDP reference and the catalog's /Perms.</summary>
    internal static PdfReference AddSignature(PdfFileReader reader, IncrementalUpdate update, PdfDictionary catalog, SignatureOptions options, int maxSignatureSize)
    {
        var dictionary = SignatureObjects.SignatureDictionary(options, maxSignatureSize);
        if (options.CertifyPermissions is not { } p)
        {
            return update.Add(dictionary);
        }

        if (p is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "DocMDP permissions are 1, 2 or 3");
        }

        if (SignatureField.HasSignatures(reader, catalog))
        {
            throw new PdfSigningException(PdfSigningException.CertificationNotFirst, "only a document without signatures can be certified");
        }

        dictionary["Reference"] = new PdfArray([new PdfDictionary
        {
            ["Type"] = new PdfName("SigRef"),
            ["TransformMethod"] = new PdfName("DocMDP"),
            ["TransformParams"] = new PdfDictionary { ["Type"] = new PdfName("TransformParams"), ["P"] = new PdfNumber(p), ["V"] = new PdfName("1.2") },
        }]);
        var signature = update.Add(dictionary);
        var newCatalog = update.Pending(((PdfReference)reader.Trailer["Root"]!).Id.Number) ?? catalog.Clone();
        newCatalog["Perms"] = new PdfDictionary { ["DocMDP"] = signature };
        update.Replace(((PdfReference)reader.Trailer["Root"]!).Id.Number, newCatalog);
        return signature;
    }

    internal static PdfReference AddAppearance(IncrementalUpdate update, SignatureOptions options, PdfRect rect)
    {
        PdfReference? image = null;
        var aspect = 1.0;
        if (options.Appearance is { } appearance && rect.Width > 0 && rect.Height > 0)
        {
            aspect = (double)appearance.Width / appearance.Height;
            var (img, mask) = SignatureObjects.Image(appearance);
            img.Dictionary["SMask"] = update.Add(mask);
            image = update.Add(img);
        }

        return update.Add(SignatureObjects.AppearanceForm(rect, image, aspect));
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

        var newCatalog = update.Pending(((PdfReference)reader.Trailer["Root"]!).Id.Number) ?? catalog.Clone(); // keeps a certification's /Perms
        newCatalog["AcroForm"] = update.Add(acroForm);
        update.Replace(((PdfReference)reader.Trailer["Root"]!).Id.Number, newCatalog);
    }

    private static PdfArray Append(PdfArray array, PdfObject item)
    {
        var copy = new PdfArray(array.Items);
        copy.Items.Add(item);
        return copy;
    }

    /// <summary>
    /// The DocMDP permissions of a certification signature (1: no change, 2: fill forms and sign, 3: also annotate),
    /// or 0 when the document is not certified. A missing /P means 2 (ISO 32000-1, table 254).
    /// </summary>
    private static long CertifiedPermissions(PdfFileReader reader, PdfDictionary catalog) =>
        reader.ResolveDictionary(reader.ResolveDictionary(catalog["Perms"])?["DocMDP"]) is { } docMdp ? DocMdp.Permissions(reader, docMdp["Reference"]) : 0;
}
