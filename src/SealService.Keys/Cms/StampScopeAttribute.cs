using Org.BouncyCastle.Asn1;
using SealService.Domain.Model;
using SealService.Domain.Stamping;

namespace SealService.Keys.Cms;

/// <summary>
/// DER of the stamp-scope attribute value (docs/signing.md gives the ASN.1 module):
/// <code>
/// StampScope ::= SEQUENCE {
///   version INTEGER (1), sealId UTF8String, sealVersion INTEGER, matterId UTF8String, matterName UTF8String,
///   step UTF8String, documentKind UTF8String, caseNumber UTF8String, documentId UTF8String,
///   documentNumber UTF8String, sealUseId UTF8String,
///   agreementId [0] IMPLICIT UTF8String OPTIONAL, agreementVersion [1] IMPLICIT INTEGER OPTIONAL,
///   mode [2] IMPLICIT UTF8String OPTIONAL, matterCode [3] IMPLICIT UTF8String OPTIONAL,
///   subjectTownshipId [4] IMPLICIT UTF8String OPTIONAL, templateId [5] IMPLICIT UTF8String OPTIONAL,
///   ledgerIndex [6] IMPLICIT INTEGER OPTIONAL }
/// </code>
/// Enumerations are their wire names (accept, decide, entrusted-handling, acceptance-receipt, …).
/// </summary>
public static class StampScopeAttribute
{
    public const int Version = 1;

    /// <summary>Largest encoding accepted when decoding (the registry's limits keep real ones under 2 KiB).</summary>
    public const int MaxEncodedLength = 16 * 1024;

    public static byte[] Encode(StampScope s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var v = new Asn1EncodableVector
        {
            DerInteger.ValueOf(Version),
            new DerUtf8String(s.SealId),
            DerInteger.ValueOf(s.SealVersion),
            new DerUtf8String(s.MatterId),
            new DerUtf8String(s.MatterName),
            new DerUtf8String(s.Step.Name()),
            new DerUtf8String(Wire.Name(s.DocumentKind)),
            new DerUtf8String(s.CaseNumber),
            new DerUtf8String(s.DocumentId),
            new DerUtf8String(s.DocumentNumber),
            new DerUtf8String(s.SealUseId),
        };
        Optional(v, 0, s.AgreementId is { } a ? new DerUtf8String(a) : null);
        Optional(v, 1, s.AgreementVersion is { } av ? DerInteger.ValueOf(av) : null);
        Optional(v, 2, s.Mode is { } m ? new DerUtf8String(Wire.Name(m)) : null);
        Optional(v, 3, s.MatterCode is { Length: > 0 } c ? new DerUtf8String(c) : null);
        Optional(v, 4, s.SubjectTownshipId is { } t ? new DerUtf8String(t) : null);
        Optional(v, 5, s.TemplateId is { } tpl ? new DerUtf8String(tpl) : null);
        Optional(v, 6, s.LedgerIndex is { } li ? DerInteger.ValueOf(li) : null);
        return new DerSequence(v).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>Decodes a value written by <see cref="Encode"/>; throws <see cref="KeysException"/> on anything else.</summary>
    public static StampScope Decode(ReadOnlySpan<byte> der)
    {
        if (der.Length is 0 or > MaxEncodedLength)
        {
            throw Malformed($"length {der.Length}");
        }

        try
        {
            var seq = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der.ToArray()));
            if (seq.Count < 11 || DerInteger.GetInstance(seq[0]).IntValueExact != Version)
            {
                throw Malformed("unknown version or too few members");
            }

            string Str(int i) => DerUtf8String.GetInstance(seq[i]).GetString();
            var tagged = new Dictionary<int, Asn1Encodable>();
            var last = -1;
            for (var i = 11; i < seq.Count; i++)
            {
                var t = Asn1TaggedObject.GetInstance(seq[i]);
                if (t.TagClass != Asn1Tags.ContextSpecific || t.TagNo <= last || t.TagNo > 6)
                {
                    throw Malformed("optional members out of order or unknown");
                }

                last = t.TagNo;
                tagged[t.TagNo] = t;
            }

            string? OptStr(int tag) => tagged.TryGetValue(tag, out var o) ? DerUtf8String.GetInstance((Asn1TaggedObject)o, false).GetString() : null;
            long? OptInt(int tag) => tagged.TryGetValue(tag, out var o) ? DerInteger.GetInstance((Asn1TaggedObject)o, false).LongValueExact : null;

            return new StampScope(
                SealId: Str(1),
                SealVersion: DerInteger.GetInstance(seq[2]).IntValueExact,
                AgreementId: OptStr(0),
                AgreementVersion: OptInt(1) is { } av ? checked((int)av) : null,
                Mode: OptStr(2) is { } m ? Parse<DelegationMode>(m) : null,
                MatterId: Str(3),
                MatterCode: OptStr(3),
                MatterName: Str(4),
                Step: Wire.TryParseStep(Str(5), out var step) ? step : throw Malformed("unknown step"),
                DocumentKind: Parse<DocumentKind>(Str(6)),
                CaseNumber: Str(7),
                SubjectTownshipId: OptStr(4),
                DocumentId: Str(8),
                DocumentNumber: Str(9),
                SealUseId: Str(10),
                TemplateId: OptStr(5),
                LedgerIndex: OptInt(6));
        }
        catch (Exception e) when (e is not KeysException && (e is ArgumentException or InvalidCastException or IOException or ArithmeticException
            || e.GetType().Namespace?.StartsWith("Org.BouncyCastle", StringComparison.Ordinal) == true))
        {
            throw Malformed(e.Message);
        }
    }

    private static void Optional(Asn1EncodableVector v, int tag, Asn1Encodable? value)
    {
        if (value is not null)
        {
            v.Add(new DerTaggedObject(false, tag, value));
        }
    }

    private static T Parse<T>(string text)
        where T : struct, Enum => Wire.TryParse<T>(text, out var value) ? value : throw Malformed($"unknown {typeof(T).Name} '{text}'");

    private static KeysException Malformed(string why) =>
        new(KeyErrorCodes.StampScopeInvalid, $"The stamp-scope attribute is malformed: {why}.");
}
