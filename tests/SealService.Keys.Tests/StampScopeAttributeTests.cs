using Org.BouncyCastle.Asn1;
using SealService.Domain.Model;
using SealService.Domain.Stamping;
using SealService.Keys.Cms;

namespace SealService.Keys.Tests;

/// <summary>The stamp-scope attribute: what is encoded decodes to the same record; anything else is STAMP_SCOPE_INVALID.</summary>
public class StampScopeAttributeTests
{
    private static readonly StampScope Full = new("seal-mudan-spj-shatu", 3, "agr-mudan-spj-shatu", 2, DelegationMode.EntrustedHandling,
        "mat-heze-mudan-011", "371702-XK-0011", "农药经营许可(限制农药除外)", CaseStep.Decide, DocumentKind.Decision, "MDQ-STZ-2026-001240",
        "twp-mudan-shatu", "doc-01", "牡审沙〔2026〕0001号", "use-01", "licence-decision", LedgerIndex: 41);

    private static readonly StampScope Minimal = new("seal-mudan-spj", 1, null, null, null, "mat-heze-mudan-001", null, "个体工商户登记注册",
        CaseStep.Issue, DocumentKind.Other, "C-1", null, "doc-02", "牡审〔2026〕0002号", "use-02", null);

    [Fact]
    public void Every_field_round_trips_with_and_without_the_optional_members()
    {
        Assert.Equal(Full, StampScopeAttribute.Decode(StampScopeAttribute.Encode(Full)));
        Assert.Equal(Minimal, StampScopeAttribute.Decode(StampScopeAttribute.Encode(Minimal)));
        Assert.True(StampScopeAttribute.Encode(Full).Length < 512);
    }

    [Fact]
    public void Optional_members_are_absent_rather_than_empty()
    {
        var seq = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(StampScopeAttribute.Encode(Minimal with { MatterCode = "" })));
        Assert.Equal(11, seq.Count);
    }

    public static TheoryData<string> Malformed() => new(Mutations.Keys);

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Anything_else_is_refused(string mutation)
    {
        var e = Assert.Throws<KeysException>(() => StampScopeAttribute.Decode(Mutations[mutation]()));
        Assert.Equal(KeyErrorCodes.StampScopeInvalid, e.Code);
    }

    private static readonly Dictionary<string, Func<byte[]>> Mutations = new()
    {
        ["empty"] = () => [],
        ["not DER"] = () => [0x30, 0x05, 0x02],
        ["version 2"] = () => Rebuild(v => v[0] = DerInteger.ValueOf(2)),
        ["unknown step"] = () => Rebuild(v => v[5] = new DerUtf8String("approve")),
        ["unknown kind"] = () => Rebuild(v => v[6] = new DerUtf8String("licence")),
        ["optional members out of order"] = () => Rebuild(v => (v[11], v[12]) = (v[12], v[11])),
        ["unknown optional tag"] = () => Rebuild(v => v.Add(new DerTaggedObject(false, 7, new DerUtf8String("x")))),
        ["too few members"] = () => Rebuild(v => v.RemoveRange(10, v.Count - 10)),
    };

    private static byte[] Rebuild(Action<List<Asn1Encodable>> change)
    {
        var members = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(StampScopeAttribute.Encode(Full))).Cast<Asn1Encodable>().ToList();
        change(members);
        return new DerSequence(members.ToArray()).GetEncoded(Asn1Encodable.Der);
    }
}
