using System.Reflection;
using System.Text;
using SealService.Api.Errors;

namespace SealService.Api.Tests.Errors;

/// <summary>The error catalogue is complete (every code a transport can answer), unambiguous, and the docs show it.</summary>
public sealed class ErrorCatalogTests
{
    private const string Begin = "<!-- error-catalogue:begin (checked by ErrorCatalogTests) -->";
    private const string End = "<!-- error-catalogue:end -->";

    /// <summary>The classes whose codes reach a client.</summary>
    private static readonly Type[] CodeClasses =
    [
        typeof(ErrorCodes), typeof(SealService.Domain.Errors.ErrorCodes), typeof(SealService.Domain.Policy.RefusalCodes),
        typeof(SealService.Domain.Stamping.StampingErrorCodes), typeof(SealService.Pdf.Rendering.RenderErrorCodes),
        typeof(SealService.Pdf.Signing.PdfSigningException), typeof(SealService.Ledger.LedgerErrorCodes),
    ];

    public static TheoryData<string, string> DeclaredCodes()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in CodeClasses)
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
                data.Add(type.FullName!, (string)field.GetRawConstantValue()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(DeclaredCodes))]
    public void Every_declared_code_is_catalogued(string declaredIn, string code) =>
        Assert.True(ErrorCatalog.Contains(code), $"{code} ({declaredIn}) is not in ErrorCatalog.Entries");

    [Fact]
    public void Codes_are_unique_stable_and_each_says_when()
    {
        var duplicates = ErrorCatalog.Entries.GroupBy(e => e.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
        Assert.All(ErrorCatalog.Entries, e =>
        {
            Assert.Matches("^[A-Z][A-Z0-9_]{2,63}$", e.Code);
            Assert.False(string.IsNullOrWhiteSpace(e.When), e.Code);
            Assert.True(e.HttpStatus is >= 400 and < 600, e.Code);
        });
    }

    [Fact]
    public void An_uncatalogued_code_answers_as_a_bug()
    {
        Assert.False(ErrorCatalog.Contains("NO_SUCH_CODE"));
        Assert.Equal(500, ErrorCatalog.HttpStatus("NO_SUCH_CODE"));
        Assert.Equal(global::Grpc.Core.StatusCode.Internal, ErrorCatalog.GrpcStatus("NO_SUCH_CODE"));
    }

    [Fact]
    public void Docs_api_md_shows_the_catalogue()
    {
        var path = Path.Combine(Repository.Root, "docs", "api.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/api.md lacks the markers {Begin} … {End}");
        var shown = text[(start + Begin.Length)..end].Trim('\n');
        var expected = Table();
        if (expected != shown)
        {
            var written = Path.Combine(Path.GetTempPath(), "error-catalogue.md");
            File.WriteAllText(written, expected + "\n");
            Assert.Fail($"docs/api.md's error table differs from ErrorCatalog; put {written} between the markers:\n{expected}");
        }
    }

    /// <summary>The markdown table docs/api.md carries, one row per entry in catalogue order.</summary>
    public static string Table()
    {
        var b = new StringBuilder("| code | HTTP | gRPC | when |\n|---|---|---|---|\n");
        foreach (var e in ErrorCatalog.Entries)
            b.Append($"| `{e.Code}` | {e.HttpStatus} | `{GrpcName(e.GrpcStatus)}` | {e.When} |\n");
        return b.ToString().TrimEnd('\n');
    }

    private static string GrpcName(global::Grpc.Core.StatusCode status) =>
        string.Concat(status.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
