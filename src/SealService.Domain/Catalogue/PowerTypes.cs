using SealService.Domain.Model;

namespace SealService.Domain.Catalogue;

/// <summary>Reads 权力类型 as printed, including compound forms such as 公共服务（行政给付） and variant spellings.</summary>
public static class PowerTypes
{
    public static bool TryParse(string text, out PowerType primary, out PowerType? secondary)
    {
        secondary = null;
        var open = text.IndexOfAny(['（', '(']);
        if (open > 0)
        {
            var close = text.IndexOfAny(['）', ')'], open);
            if (close != text.Length - 1 || !TryParseSimple(text[(open + 1)..close], out var second))
            {
                primary = default;
                return false;
            }

            secondary = second;
            text = text[..open];
        }

        return TryParseSimple(text, out primary);
    }

    /// <summary>The printed Chinese name of a power type.</summary>
    public static string Label(PowerType type) => type switch
    {
        PowerType.License => "行政许可",
        PowerType.Confirmation => "行政确认",
        PowerType.Benefit => "行政给付",
        PowerType.Levy => "行政征收",
        PowerType.OtherPower => "其他行政权力",
        PowerType.PublicService => "公共服务",
        _ => "便民服务",
    };

    private static bool TryParseSimple(string text, out PowerType type)
    {
        PowerType? found = text.Trim() switch
        {
            "行政许可" => PowerType.License,
            "行政确认" => PowerType.Confirmation,
            "行政给付" => PowerType.Benefit,
            "行政征收" => PowerType.Levy,
            "其他行政权力" or "其它行政权力" or "其他权利" or "其他权力" or "其他类审核转报" => PowerType.OtherPower,
            "公共服务" => PowerType.PublicService,
            "便民服务" => PowerType.ConvenienceService,
            _ => null,
        };
        type = found.GetValueOrDefault();
        return found is not null;
    }
}
