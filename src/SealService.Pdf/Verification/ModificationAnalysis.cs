using SealService.Pdf.Parsing;

namespace SealService.Pdf.Verification;

/// <summary>A change an incremental update made that a signature does not allow.</summary>
public sealed record RevisionChange(int Revision, int ObjectNumber, string Reason)
{
    public override string ToString() => $"revision {Revision}, object {ObjectNumber}: {Reason}";
}

/// <summary>
/// Reject by default (pyHanko's diff analysis is the model): each revision is compared with the one before it, and only
/// what adding signatures and validation data needs is allowed — new signature fields with their widgets and values,
/// document time-stamps, the DSS, and the catalog, AcroForm and page /Annots entries those need. New objects nothing
/// old refers to are harmless. Every other change to an existing object, a freed object, or a re-pointed /Root is
/// reported with its revision and object number. Each revision is analysed once and shared by all signatures.
/// </summary>
public sealed class ModificationAnalysis
{
    private const int MaxPages = 100_000;
    private const int MaxStreamCompare = 16 << 20;
    private static readonly HashSet<string> CatalogKeysAllowed = ["AcroForm", "DSS", "Extensions"];
    private static readonly HashSet<string> FormKeysAllowed = ["Fields", "SigFlags"];
    private static readonly HashSet<string> PageKeysAllowed = ["Annots"];
    private static readonly HashSet<string> EmptyFieldKeysAllowed = ["V", "AP", "F"];

    private readonly PdfFileReader _reader;
    private readonly List<RevisionChange>?[] _byRevision;

    public ModificationAnalysis(PdfFileReader reader)
    {
        _reader = reader;
        _byRevision = new List<RevisionChange>?[reader.Revisions.Count];
    }

    /// <summary>Disallowed changes in the revisions after <paramref name="signedRevision"/>.</summary>
    public IReadOnlyList<RevisionChange> After(int signedRevision)
    {
        var all = new List<RevisionChange>();
        for (var r = signedRevision + 1; r < _byRevision.Length; r++)
        {
            all.AddRange(_byRevision[r] ??= Analyse(r));
        }

        if (TrailingBytes() is > 0 and var extra)
        {
            all.Add(new(_byRevision.Length, 0, $"{extra} bytes after the last revision belong to no revision"));
        }

        return all;
    }

    /// <summary>Bytes after the newest %%EOF other than white space (no revision owns them; readers may still use them).</summary>
    private long TrailingBytes()
    {
        var end = _reader.Revisions[^1].EndOffset;
        if (end < 0 || end >= _reader.Length)
        {
            return 0;
        }

        var count = (int)Math.Min(1 << 16, _reader.Length - end);
        var tail = _reader.ReadBytes(end, count);
        return tail.AsSpan().TrimEnd(" \t\r\n\0"u8).IsEmpty && count == _reader.Length - end ? 0 : _reader.Length - end;
    }

    private List<RevisionChange> Analyse(int r)
    {
        var changes = new List<RevisionChange>();
        var before = r - 1;
        var oldRoot = _reader.Revisions[before].Trailer["Root"] as PdfReference;
        var newRoot = _reader.Revisions[r].Trailer["Root"] as PdfReference;
        if (oldRoot is null || newRoot is null || oldRoot.Id.Number != newRoot.Id.Number)
        {
            changes.Add(new(r, newRoot?.Id.Number ?? 0, "/Root re-pointed to another catalog"));
            return changes;
        }

        var roles = Roles(before, oldRoot.Id.Number);
        foreach (var (number, entry) in _reader.Revisions[r].Entries.OrderBy(e => e.Key))
        {
            var previous = _reader.EntryAt(before, number);
            var existed = previous is { Kind: not XrefEntryKind.Free };
            if (entry.Kind == XrefEntryKind.Free)
            {
                if (existed)
                {
                    changes.Add(new(r, number, "object freed"));
                }

                continue;
            }

            if (!existed || previous == entry)
            {
                continue;
            }

            var oldObject = _reader.GetObjectAt(before, number);
            var newObject = _reader.GetObjectAt(r, number);
            if (oldObject is null || newObject is null || Same(oldObject, before, newObject, r))
            {
                continue;
            }

            if (IsStructural(oldObject) && IsStructural(newObject))
            {
                continue;
            }

            var reason = roles.TryGetValue(number, out var role)
                ? Allowed(role, oldObject, newObject, r)
                : $"{Describe(oldObject)} changed";
            if (reason is not null)
            {
                changes.Add(new(r, number, reason));
            }
        }

        return changes;
    }

    private enum Role
    {
        Catalog,
        Form,
        FormFields,
        Page,
        PageAnnots,
        EmptySignatureField,
        Dss,
    }

    /// <summary>What each object that may legitimately change was, in the signed state.</summary>
    private Dictionary<int, Role> Roles(int revision, int catalogNumber)
    {
        var roles = new Dictionary<int, Role> { [catalogNumber] = Role.Catalog };
        var catalog = _reader.ResolveDictionaryAt(revision, new PdfReference(catalogNumber, 0)) ?? new PdfDictionary();
        if (catalog["DSS"] is PdfReference dss)
        {
            roles[dss.Id.Number] = Role.Dss;
        }

        if (catalog["AcroForm"] is PdfReference formRef)
        {
            roles[formRef.Id.Number] = Role.Form;
        }

        var form = _reader.ResolveDictionaryAt(revision, catalog["AcroForm"]);
        if (form?["Fields"] is PdfReference fieldsRef)
        {
            roles[fieldsRef.Id.Number] = Role.FormFields;
        }

        if (_reader.ResolveAt(revision, form?["Fields"]) is PdfArray fields)
        {
            foreach (var f in fields.Items.OfType<PdfReference>())
            {
                if (_reader.ResolveDictionaryAt(revision, f) is { } field && field["FT"] is PdfName { Value: "Sig" } && field["V"] is null)
                {
                    roles.TryAdd(f.Id.Number, Role.EmptySignatureField);
                }
            }
        }

        var pages = new Stack<(PdfObject Node, int Depth)>();
        pages.Push((catalog["Pages"] ?? PdfNull.Instance, 0));
        var seen = new HashSet<int>();
        while (pages.Count > 0 && seen.Count < MaxPages)
        {
            var (node, depth) = pages.Pop();
            if (node is not PdfReference nr || !seen.Add(nr.Id.Number) || depth > 64 || _reader.ResolveDictionaryAt(revision, node) is not { } dict)
            {
                continue;
            }

            if (dict["Type"] is PdfName { Value: "Page" })
            {
                roles.TryAdd(nr.Id.Number, Role.Page);
                if (dict["Annots"] is PdfReference annots)
                {
                    roles.TryAdd(annots.Id.Number, Role.PageAnnots);
                }
            }
            else if (_reader.ResolveAt(revision, dict["Kids"]) is PdfArray kids)
            {
                foreach (var kid in kids.Items)
                {
                    pages.Push((kid, depth + 1));
                }
            }
        }

        return roles;
    }

    /// <summary>Null when the change is one signing may make, else why not.</summary>
    private string? Allowed(Role role, PdfObject oldObject, PdfObject newObject, int r)
    {
        switch (role)
        {
            case Role.Dss:
                return null;
            case Role.Catalog:
                return OnlyKeysChanged(oldObject, newObject, r, CatalogKeysAllowed, "catalog")
                    ?? FormAllowed(oldObject as PdfDictionary, newObject as PdfDictionary, r);
            case Role.Form:
                return OnlyKeysChanged(oldObject, newObject, r, FormKeysAllowed, "AcroForm")
                    ?? AppendedOnly((oldObject as PdfDictionary)?["Fields"], (newObject as PdfDictionary)?["Fields"], r, IsSignatureField, "AcroForm /Fields");
            case Role.FormFields:
                return AppendedOnly(oldObject, newObject, r, IsSignatureField, "AcroForm /Fields");
            case Role.Page:
                return OnlyKeysChanged(oldObject, newObject, r, PageKeysAllowed, "page")
                    ?? AppendedOnly((oldObject as PdfDictionary)?["Annots"], (newObject as PdfDictionary)?["Annots"], r, IsSignatureWidget, "page /Annots");
            case Role.PageAnnots:
                return AppendedOnly(oldObject, newObject, r, IsSignatureWidget, "page /Annots");
            case Role.EmptySignatureField:
                return OnlyKeysChanged(oldObject, newObject, r, EmptyFieldKeysAllowed, "empty signature field");
            default:
                return "changed";
        }
    }

    /// <summary>A direct, new or re-pointed /AcroForm follows the AcroForm rules (the same form object is checked as itself).</summary>
    private string? FormAllowed(PdfDictionary? oldCatalog, PdfDictionary? newCatalog, int r)
    {
        var oldValue = oldCatalog?["AcroForm"];
        var newValue = newCatalog?["AcroForm"];
        if (newValue is null)
        {
            return oldValue is null ? null : "catalog /AcroForm removed";
        }

        if (oldValue is PdfReference o && newValue is PdfReference n && o.Id.Number == n.Id.Number)
        {
            return null;
        }

        var oldForm = _reader.ResolveDictionaryAt(r - 1, oldValue) ?? new PdfDictionary();
        if (_reader.ResolveDictionaryAt(r, newValue) is not { } newForm)
        {
            return "catalog /AcroForm is not a dictionary";
        }

        return OnlyKeysChanged(oldForm, newForm, r, FormKeysAllowed, "AcroForm")
            ?? AppendedOnly(oldForm["Fields"], newForm["Fields"], r, IsSignatureField, "AcroForm /Fields");
    }

    private string? OnlyKeysChanged(PdfObject oldObject, PdfObject newObject, int r, IReadOnlySet<string> allowed, string what)
    {
        if (oldObject is not PdfDictionary oldDict || newObject is not PdfDictionary newDict)
        {
            return $"{what} replaced by another kind of object";
        }

        foreach (var key in oldDict.Entries.Select(e => e.Key).Union(newDict.Entries.Select(e => e.Key)))
        {
            if (!allowed.Contains(key) && !SameValue(oldDict[key], r - 1, newDict[key], r))
            {
                return $"{what} /{key} changed";
            }
        }

        return null;
    }

    /// <summary>The new array keeps every old item in place and appends only items that pass <paramref name="mayAdd"/>.</summary>
    private string? AppendedOnly(PdfObject? oldValue, PdfObject? newValue, int r, Func<PdfObject, int, bool> mayAdd, string what)
    {
        var oldItems = (_reader.ResolveAt(r - 1, oldValue) as PdfArray)?.Items ?? [];
        if (newValue is null && oldItems.Count == 0)
        {
            return null;
        }

        if (_reader.ResolveAt(r, newValue) is not PdfArray newArray)
        {
            return $"{what} removed";
        }

        if (newArray.Count < oldItems.Count)
        {
            return $"{what}: entries removed";
        }

        for (var i = 0; i < oldItems.Count; i++)
        {
            if (!SameValue(oldItems[i], r - 1, newArray[i], r))
            {
                return $"{what}: entry {i} replaced";
            }
        }

        for (var i = oldItems.Count; i < newArray.Count; i++)
        {
            if (!mayAdd(newArray[i], r))
            {
                return $"{what}: entry {i} added that is not a signature";
            }
        }

        return null;
    }

    private bool IsSignatureField(PdfObject item, int r) =>
        item is PdfReference && _reader.ResolveDictionaryAt(r, item) is { } d && d["FT"] is PdfName { Value: "Sig" };

    private bool IsSignatureWidget(PdfObject item, int r)
    {
        if (item is not PdfReference || _reader.ResolveDictionaryAt(r, item) is not { } d || d["Subtype"] is not PdfName { Value: "Widget" })
        {
            return false;
        }

        var field = d["FT"] is null ? _reader.ResolveDictionaryAt(r, d["Parent"]) : d;
        return field?["FT"] is PdfName { Value: "Sig" };
    }

    private static bool IsStructural(PdfObject o) =>
        o is PdfStream { Dictionary: var d } && d["Type"] is PdfName { Value: "XRef" or "ObjStm" };

    private static string Describe(PdfObject o)
    {
        var d = o switch
        {
            PdfDictionary dict => dict,
            PdfStream s => s.Dictionary,
            _ => null,
        };
        var type = (d?["Type"] as PdfName)?.Value ?? (d?["Subtype"] as PdfName)?.Value;
        return o is PdfStream ? $"stream{(type is null ? "" : " /" + type)}" : type is null ? "object" : "/" + type;
    }

    private bool Same(PdfObject a, int ra, PdfObject b, int rb) => SameValue(a, ra, b, rb);

    /// <summary>Structural equality; references compare by object number, streams by dictionary and raw bytes.</summary>
    private bool SameValue(PdfObject? a, int ra, PdfObject? b, int rb, int depth = 0)
    {
        if (depth > 64)
        {
            return false;
        }

        switch (a, b)
        {
            case (null, null):
                return true;
            case (PdfReference x, PdfReference y):
                return x.Id.Number == y.Id.Number;
            case (PdfName x, PdfName y):
                return x.Value == y.Value;
            case (PdfNumber x, PdfNumber y):
                return x.IsInteger == y.IsInteger && (x.IsInteger ? x.LongValue == y.LongValue : x.Value.Equals(y.Value));
            case (PdfBoolean x, PdfBoolean y):
                return x.Value == y.Value;
            case (PdfNull, PdfNull):
                return true;
            case (PdfString x, PdfString y):
                return x.Bytes.AsSpan().SequenceEqual(y.Bytes);
            case (PdfArray x, PdfArray y):
                return x.Count == y.Count && x.Items.Zip(y.Items).All(p => SameValue(p.First, ra, p.Second, rb, depth + 1));
            case (PdfDictionary x, PdfDictionary y):
                return x.Entries.Count == y.Entries.Count && x.Entries.All(e => SameValue(e.Value, ra, y[e.Key], rb, depth + 1));
            case (PdfStream x, PdfStream y):
                return SameValue(x.Dictionary, ra, y.Dictionary, rb, depth + 1)
                    && _reader.RawStreamData(x, ra, MaxStreamCompare).AsSpan().SequenceEqual(_reader.RawStreamData(y, rb, MaxStreamCompare));
            default:
                return false;
        }
    }
}
