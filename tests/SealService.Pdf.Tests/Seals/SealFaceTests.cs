using SealService.Pdf.Seals;

namespace SealService.Pdf.Tests.Seals;

public sealed class SealFaceTests
{
    [Theory]
    [InlineData("牡丹区行政审批服务局审批专用章（沙土镇）", "牡丹区行政审批服务局", "审批专用章", "沙土镇")]
    [InlineData("泽州县××镇人民政府行政审批服务专用章", "泽州县××镇人民政府", "行政审批服务专用章", null)]
    [InlineData("山亭区水泉镇人民政府行政审批专用章", "山亭区水泉镇人民政府", "行政审批专用章", null)]
    [InlineData("牡丹区人力资源和社会保障局审批专用章(吴店镇)", "牡丹区人力资源和社会保障局", "审批专用章", "吴店镇")]
    [InlineData("牡丹区沙土镇人民政府", "牡丹区沙土镇人民政府", "", null)]
    [InlineData("勉县行政审批服务中心审批专用章", "勉县行政审批服务中心", "审批专用章", null)]
    public void FromSealText_SplitsBodyPurposeAndHolder(string text, string body, string purpose, string? holder)
    {
        var face = SealFace.FromSealText(text);
        Assert.Equal(new SealFace(body, purpose, holder), face);
    }

    [Fact]
    public void ToSealText_RebuildsTheRegistryText() =>
        Assert.Equal(
            "牡丹区行政审批服务局审批专用章（沙土镇）",
            SealFace.FromSealText("牡丹区行政审批服务局审批专用章（沙土镇）").ToSealText());

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("牡丹区\n审批专用章")]
    public void FromSealText_RefusesEmptyOrControlCharacters(string text) =>
        Assert.StartsWith("SEAL_TEXT_INVALID", Assert.Throws<ArgumentException>(() => SealFace.FromSealText(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void FromSealText_RefusesOverlongText() =>
        Assert.Throws<ArgumentException>(() => SealFace.FromSealText(new string('局', SealFace.MaxSealTextLength + 1)));
}
