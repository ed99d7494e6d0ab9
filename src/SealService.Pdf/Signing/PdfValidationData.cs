using System.Security.Cryptography;
using SealService.Keys.Revocation;
using SealService.Pdf.Parsing;

namespace SealService.Pdf.Signing;

/// <summary>What the long-term step added.</summary>
public sealed record ValidationDataResult(string FieldName, string VriKey, int Certificates, int OcspResponses, int Crls);

/// <summary>
/// PAdES B-LT: an incremental update after the newest signature with a Document Security Store (ISO 32000-2 12.8.4.3,
/// ETSI EN 319 142-1 5.4): the certificates, OCSP responses and CRLs that validate the signature and its time-stamp,
/// and a VRI entry for it keyed by the SHA-1 of its /Contents. Nothing signed changes: only new objects, the catalog's
/// /DSS and /Extensions — what verifiers (ours, pdfsig) accept after a signature.
/// </summary>
public static class PdfValidationData
{
    public static async Task<ValidationDataResult> AppendAsync(Stream input, Stream output,
        Func<byte[], CancellationToken, Task<ValidationData>> collect, CancellationToken cancellationToken = default)
    {
        var reader = PdfFileReader.Open(input);
        var catalog = PdfPageTree.Catalog(reader);
        var (fieldName, contents) = NewestSignature(reader, catalog);
        var data = await collect(Der(contents), cancellationToken).ConfigureAwait(false);

        var update = new IncrementalUpdate(reader);
        var old = reader.ResolveDictionary(catalog["DSS"]);
        var certs = Existing(reader, old?["Certs"]);
        var ocsps = Existing(reader, old?["OCSPs"]);
        var crls = Existing(reader, old?["CRLs"]);
        var vriCerts = data.Certificates.Select(c => Add(update, c.GetEncoded(), certs)).ToList();
        var vriOcsps = data.OcspResponses.Select(o => Add(update, o, ocsps)).ToList();
        var vriCrls = data.Crls.Select(c => Add(update, c, crls)).ToList();

        var key = Convert.ToHexString(SHA1.HashData(contents)); // ETSI EN 319 142-1: SHA-1 of the /Contents bytes, upper-case hex
        var vri = (reader.ResolveDictionary(old?["VRI"]) ?? new PdfDictionary()).Clone();
        vri[key] = new PdfDictionary
        {
            ["Cert"] = new PdfArray(vriCerts),
            ["OCSP"] = new PdfArray(vriOcsps),
            ["CRL"] = new PdfArray(vriCrls),
        };
        var dss = new PdfDictionary
        {
            ["Type"] = new PdfName("DSS"),
            ["Certs"] = new PdfArray(certs),
            ["OCSPs"] = new PdfArray(ocsps),
            ["CRLs"] = new PdfArray(crls),
            ["VRI"] = update.Add(vri),
        };
        var newCatalog = catalog.Clone();
        newCatalog["DSS"] = update.Add(dss);
        var extensions = (reader.ResolveDictionary(catalog["Extensions"]) ?? new PdfDictionary()).Clone();
        extensions["ESIC"] ??= new PdfDictionary { ["BaseVersion"] = new PdfName("1.7"), ["ExtensionLevel"] = new PdfNumber(5) };
        newCatalog["Extensions"] = extensions;
        update.Replace(((PdfReference)reader.Trailer["Root"]!).Id.Number, newCatalog);

        var lastByte = reader.ReadBytes(reader.Length - 1, 1)[0];
        var (bytes, _) = update.Build(reader.Length, lastByte is (byte)'\n' or (byte)'\r');
        input.Seek(0, SeekOrigin.Begin);
        await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new ValidationDataResult(fieldName, key, vriCerts.Count, vriOcsps.Count, vriCrls.Count);
    }

    /// <summary>The signature whose signed bytes reach furthest: the one a B-LT step completes.</summary>
    private static (string Field, byte[] Contents) NewestSignature(PdfFileReader reader, PdfDictionary catalog)
    {
        (string, byte[])? best = null;
        long reach = -1;
        var form = reader.ResolveDictionary(catalog["AcroForm"]);
        foreach (var item in (reader.Resolve(form?["Fields"]) as PdfArray)?.Items ?? [])
        {
            if (reader.ResolveDictionary(item) is not { } field || reader.Resolve(field["FT"]) is not PdfName { Value: "Sig" }
                || reader.ResolveDictionary(field["V"]) is not { } signature
                || reader.Resolve(signature["Contents"]) is not PdfString contents
                || reader.Resolve(signature["ByteRange"]) is not PdfArray { Count: 4 } range
                || range.Items.Select(reader.Resolve).OfType<PdfNumber>().ToArray() is not { Length: 4 } n)
            {
                continue;
            }

            if (n[2].LongValue + n[3].LongValue > reach)
            {
                reach = n[2].LongValue + n[3].LongValue;
                best = ((reader.Resolve(field["T"]) as PdfString)?.Text ?? "", contents.Bytes);
            }
        }

        return best ?? throw new PdfSigningException(PdfSigningException.SignatureFieldNotFound, "the document has no signature to add validation data for");
    }

    private static List<PdfObject> Existing(PdfFileReader reader, PdfObject? array) =>
        (reader.Resolve(array) as PdfArray)?.Items.ToList() ?? [];

    private static PdfReference Add(IncrementalUpdate update, byte[] der, List<PdfObject> into)
    {
        var reference = update.Add(new PdfDataStream(new PdfDictionary(), der));
        into.Add(reference);
        return reference;
    }

    /// <summary>The CMS without the zero padding of /Contents.</summary>
    private static byte[] Der(byte[] contents)
    {
        if (contents.Length < 2 || contents[0] != 0x30)
        {
            throw new PdfSigningException(PdfSigningException.SignatureFieldNotFound, "the newest signature's /Contents holds no CMS");
        }

        var length = contents[1] < 0x80 ? 2 + contents[1] : 2 + (contents[1] & 0x7f) + contents.AsSpan(2, contents[1] & 0x7f).ToArray().Aggregate(0, (a, b) => (a << 8) | b);
        return contents.AsSpan(0, Math.Min(length, contents.Length)).ToArray();
    }
}
