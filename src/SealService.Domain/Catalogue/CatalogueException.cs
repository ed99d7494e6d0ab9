using SealService.Domain.Errors;

namespace SealService.Domain.Catalogue;

/// <summary>A catalogue file was rejected; nothing of it is imported. The message starts with "file:line:".</summary>
public sealed class CatalogueException : DomainException
{
    private CatalogueException(string code, string file, int line, string message)
        : base(code, $"{file}:{line}: {message}", new Dictionary<string, string[]> { ["file"] = [file], ["line"] = [line.ToString(System.Globalization.CultureInfo.InvariantCulture)] })
    {
        File = file;
        Line = line;
    }

    public string File { get; }

    public int Line { get; }

    public static CatalogueException At(string file, int line, string message) =>
        new(ErrorCodes.CatalogueRowInvalid, file, line, message);

    public static CatalogueException UnknownFormat(string file) =>
        new(ErrorCodes.CatalogueUnknownFormat, file, 0, "未知的目录文件格式；支持 heze-mudan, zaozhuang-shanting, hanzhong-mianxian, jincheng-zezhou-town, jincheng-zezhou-village (unknown catalogue format)");
}
