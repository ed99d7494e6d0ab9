using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using SealService.Api.Tests.Infrastructure;
using static SealService.Api.Tests.Infrastructure.StampingClient;

namespace SealService.Api.Tests.Stamping;

/// <summary>
/// Malformed multipart bodies and impossible or ambiguous PDFs get a 4xx with a code before a number is taken, and leave
/// no record and no file. Each hostile PDF is built here with correct offsets, so only its one defect differs.
/// </summary>
public sealed class UploadHygieneTests(StampingApiFactory factory) : IClassFixture<StampingApiFactory>
{
    [Fact]
    public async Task The_builder_makes_a_pdf_the_service_stamps()
    {
        var sc = await Scenario.CreateAsync(factory);
        var body = await (await factory.Clerk(sc.TownX).StampUpload(Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "OK-1"), MiniPdf.Build()))
            .Json(HttpStatusCode.Created);
        Assert.EndsWith("0001号", body.Str("documentNumber"), StringComparison.Ordinal);
    }

    public static TheoryData<string> Defects() => new(MiniPdf.Defects.Keys);

    [Theory]
    [MemberData(nameof(Defects))]
    public async Task An_impossible_or_ambiguous_pdf_is_pdf_invalid_and_consumes_nothing(string defect)
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        await (await clerk.StampUpload(Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "BAD-1"), MiniPdf.Defects[defect]()))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "PDF_INVALID");
        await AssertNothingConsumed(sc, clerk);
    }

    [Fact]
    public async Task Two_file_parts_are_refused_and_consume_nothing()
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var form = new MultipartFormDataContent { { JsonContent.Create(Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "TWO-1")), "request" } };
        form.Add(new ByteArrayContent(MiniPdf.Build()), "file", "a.pdf");
        form.Add(new ByteArrayContent(MiniPdf.Build()), "file", "b.pdf");
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stampings") { Content = form };
        message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));

        await (await clerk.SendAsync(message)).AssertProblem(HttpStatusCode.UnprocessableEntity, "UPLOAD_PARTS_INVALID");
        await AssertNothingConsumed(sc, clerk);
    }

    [Theory]
    [InlineData("in the file part")]
    [InlineData("in the request part")]
    public async Task A_truncated_multipart_body_is_400_multipart_invalid(string where)
    {
        var sc = await Scenario.CreateAsync(factory);
        var clerk = factory.Clerk(sc.TownX);
        var request = System.Text.Json.JsonSerializer.Serialize(Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "CUT-1"));
        var head = "--b0\r\nContent-Disposition: form-data; name=\"request\"\r\nContent-Type: application/json\r\n\r\n" + request
            + "\r\n--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n";
        var pdf = MiniPdf.Build();
        byte[] body = where == "in the file part"
            ? [.. Encoding.UTF8.GetBytes(head), .. pdf.AsSpan(0, pdf.Length / 2)]
            : Encoding.UTF8.GetBytes(head[..(head.IndexOf("{", StringComparison.Ordinal) + 10)]);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b0");
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stampings") { Content = content };
        message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));

        await (await clerk.SendAsync(message)).AssertProblem(HttpStatusCode.BadRequest, "MULTIPART_INVALID");
        await AssertNothingConsumed(sc, clerk);
    }

    /// <summary>No seal use was recorded, and the seal's next stamp still gets number 1.</summary>
    private async Task AssertNothingConsumed(Scenario sc, HttpClient clerk)
    {
        Assert.Empty(await factory.Auditor().AllSealUses($"sealId={sc.Seal}"));
        var next = await (await clerk.StampUpload(Upload(sc.Seal, sc.MatterA, "decide", sc.TownX, "NEXT-1"), MiniPdf.Build())).Json(HttpStatusCode.Created);
        Assert.EndsWith("0001号", next.Str("documentNumber"), StringComparison.Ordinal);
    }

    /// <summary>A one-page PDF written object by object with a correct classic xref, and its defective variants.</summary>
    private static class MiniPdf
    {
        private const string Content = "BT /F1 24 Tf 72 720 Td (Hello) Tj ET";

        public static readonly Dictionary<string, Func<byte[]>> Defects = new()
        {
            ["stream /Length beyond the file"] = () => Build(length: "1000000000000"),
            ["arrays nested 100000 deep"] = () => Build(pageExtra: "/Deep " + new string('[', 100_000) + new string(']', 100_000)),
            ["object defined twice in one revision"] = () => Build(duplicate: true),
            ["xref entry points at another object"] = () => Build(misdirect: true),
        };

        public static byte[] Build(string? length = null, string pageExtra = "", bool duplicate = false, bool misdirect = false)
        {
            var objects = new[]
            {
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> {pageExtra} >>",
                $"<< /Length {length ?? Content.Length.ToString(CultureInfo.InvariantCulture)} >>\nstream\n{Content}\nendstream",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            };
            var pdf = new StringBuilder("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
            var offsets = new long[objects.Length + 1];
            for (var i = 0; i < objects.Length; i++)
            {
                if (duplicate && i == 3)
                    pdf.Append("4 0 obj\n<< /Length 9 >>\nstream\nBT ET 0 0\nendstream\nendobj\n"); // an earlier, different object 4
                offsets[i + 1] = Encoding.Latin1.GetByteCount(pdf.ToString());
                pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
            }

            if (misdirect)
                offsets[3] = offsets[2];
            var xref = Encoding.Latin1.GetByteCount(pdf.ToString());
            pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
            for (var i = 1; i <= objects.Length; i++)
                pdf.Append(CultureInfo.InvariantCulture, $"{offsets[i]:D10} 00000 n \n");
            pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
            return Encoding.Latin1.GetBytes(pdf.ToString());
        }
    }
}
