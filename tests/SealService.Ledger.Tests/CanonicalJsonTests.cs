using System.Text;
using System.Text.Json.Nodes;
using SealService.Ledger.Canonical;

namespace SealService.Ledger.Tests;

public class CanonicalJsonTests
{
    [Fact]
    public void Members_are_sorted_by_UTF16_code_units_without_whitespace()
    {
        // "é" (U+00E9) sorts after "z"; "B" (U+0042) before "a"; the emoji's high surrogate (U+D83D) after U+00E9.
        var node = new JsonObject { ["z"] = 1, ["a"] = new JsonArray(3, "x"), ["é"] = true, ["B"] = null, ["😀"] = false };
        Assert.Equal("{\"B\":null,\"a\":[3,\"x\"],\"z\":1,\"é\":true,\"😀\":false}", Encoding.UTF8.GetString(CanonicalJson.Serialize(node)));
    }

    [Fact]
    public void Strings_use_minimal_escaping_and_raw_UTF8()
    {
        var node = new JsonObject { ["s"] = "牡丹区\"\\/\b\f\n\r\t\u0001<>&'" };
        var bytes = CanonicalJson.Serialize(node);
        Assert.Equal("{\"s\":\"牡丹区\\\"\\\\/\\b\\f\\n\\r\\t\\u0001<>&'\"}", Encoding.UTF8.GetString(bytes));
        Assert.NotEqual(0xEF, bytes[0]);
    }

    [Fact]
    public void Fractions_and_unpaired_surrogates_are_refused()
    {
        Assert.Equal(LedgerErrorCodes.CanonicalJsonInvalid, Assert.Throws<LedgerException>(() => CanonicalJson.Serialize(new JsonObject { ["f"] = 1.5 })).Code);
        Assert.Equal(LedgerErrorCodes.CanonicalJsonInvalid, Assert.Throws<LedgerException>(() => CanonicalJson.Serialize(new JsonObject { ["s"] = "\ud800" })).Code);
    }

    [Fact]
    public void Parsed_integers_are_kept_exactly()
    {
        Assert.Equal("[9007199254740993,-1]", Encoding.UTF8.GetString(CanonicalJson.Serialize(JsonNode.Parse("[9007199254740993, -1]"))));
    }

    [Fact]
    public void Timestamps_are_UTC_with_milliseconds_and_Z()
    {
        Assert.Equal("2026-11-29T11:05:03.007Z", CanonicalJson.Timestamp(new DateTimeOffset(2026, 11, 29, 19, 5, 3, 7, TimeSpan.FromHours(8))));
    }

    [Fact]
    public void Seal_use_record_has_the_documented_bytes()
    {
        var record = new SealUseRecord
        {
            SealUseId = "su-1",
            At = new DateTimeOffset(2026, 11, 29, 8, 0, 0, 120, TimeSpan.Zero),
            Outcome = "refused",
            Code = "STEP_NOT_ALLOWED",
            SealId = "seal-mudan-spj-wudian",
            SealVersion = 2,
            MatterId = "m-37",
            Step = "decide",
            CaseNumber = "MD-2026-0001",
            SubjectTownshipId = "wudian",
            Actor = new SealUseActor("张三", "clerk", TownshipId: "wudian"),
            AgreementId = "agr-9",
            AgreementVersion = 1,
        };
        const string expected = "{\"actor\":{\"name\":\"张三\",\"role\":\"clerk\",\"townshipId\":\"wudian\"},\"agreementId\":\"agr-9\",\"agreementVersion\":1,"
            + "\"at\":\"2026-11-29T08:00:00.120Z\",\"caseNumber\":\"MD-2026-0001\",\"code\":\"STEP_NOT_ALLOWED\",\"ledgerVersion\":1,\"matterId\":\"m-37\","
            + "\"outcome\":\"refused\",\"sealId\":\"seal-mudan-spj-wudian\",\"sealUseId\":\"su-1\",\"sealVersion\":2,\"step\":\"decide\",\"subjectTownshipId\":\"wudian\"}";
        Assert.Equal(expected, Encoding.UTF8.GetString(record.ToCanonicalBytes()));
    }

    [Fact]
    public void Seal_use_record_refuses_an_unknown_outcome()
    {
        var record = new SealUseRecord { SealUseId = "x", At = DateTimeOffset.UnixEpoch, Outcome = "maybe", SealId = "s", Actor = new("a", "b") };
        Assert.Equal(LedgerErrorCodes.CanonicalJsonInvalid, Assert.Throws<LedgerException>(() => record.ToCanonicalBytes()).Code);
    }
}
