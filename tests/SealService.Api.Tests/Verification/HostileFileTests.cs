using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests.Verification;

/// <summary>
/// Hostile files get an answer, never a 500 or a hang: a report with verdict unknown (or invalid), or a 4xx. The page
/// and the API share the limits.
/// </summary>
public sealed class HostileFileTests(SealApiFactory factory) : IClassFixture<SealApiFactory>
{
    public static TheoryData<string> Names() => new(Hostile.Keys);

    private static readonly Dictionary<string, Func<byte[]>> Hostile = new()
    {
        ["deep-nesting"] = () => Pdf("1 0 obj\n" + new string('[', 5000) + new string(']', 5000) + "\nendobj\n", "1 0 R"),
        ["impossible-length"] = () => Pdf("1 0 obj\n<< /Length 99999999999 >>\nstream\nabc\nendstream\nendobj\n", "1 0 R"),
        ["xref-loop"] = () => Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R /Prev 46 >>\nstartxref\n46\n%%EOF\n"),
        ["startxref-outside"] = () => Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<< >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n999999999\n%%EOF\n"),
        ["decompression-bomb"] = Bomb,
        ["signature-with-huge-byterange"] = () => Pdf("1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [3 0 R] >> >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n3 0 obj\n<< /FT /Sig /T (s) /V 4 0 R >>\nendobj\n4 0 obj\n<< /Type /Sig /ByteRange [0 9223372036854775807 9223372036854775807 9223372036854775807] /Contents <3000> >>\nendobj\n", "1 0 R", objects: 4),
        ["garbage"] = () => Enumerable.Range(0, 4096).Select(i => (byte)(i * 31)).ToArray(),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_hostile_file_gets_a_report_or_a_4xx_and_never_a_500(string name)
    {
        var response = await Post(factory.Auditor(), "/api/v1/verifications", Hostile[name]());
        Assert.True((int)response.StatusCode < 500, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var verdict = (await response.Json()).Str("verdict");
            Assert.Contains(verdict, new[] { "unknown", "invalid" });
        }

        var page = await Post(factory.CreateClient(), "/verify", Hostile[name]());
        Assert.True((int)page.StatusCode < 500, $"{name} (page): {(int)page.StatusCode}");
    }

    [Fact]
    public async Task A_60_MB_file_is_refused_with_413_by_the_api_and_the_page()
    {
        var big = new byte[60 * 1024 * 1024];
        "%PDF-1.7\n"u8.CopyTo(big);
        // Expect: 100-continue: the service answers from the declared length, before a byte of the body is sent.
        await (await Post(factory.Auditor(), "/api/v1/verifications", big, expectContinue: true)).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "PDF_TOO_LARGE");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Post(factory.CreateClient(), "/verify", big, expectContinue: true)).StatusCode);
    }

    [Fact]
    public async Task A_body_without_a_file_part_is_a_clear_4xx()
    {
        var form = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        await (await factory.Auditor().PostAsync("/api/v1/verifications", form)).AssertProblem(HttpStatusCode.UnprocessableEntity, "UPLOAD_PARTS_INVALID");
        var json = new StringContent("{}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await factory.Auditor().PostAsync("/api/v1/verifications", json)).StatusCode);
    }

    /// <summary>A minimal file around the given objects, with a correct xref table.</summary>
    private static byte[] Pdf(string body, string root, int objects = 1)
    {
        var text = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        foreach (var part in body.Split("endobj\n", StringSplitOptions.RemoveEmptyEntries))
        {
            offsets.Add(Encoding.Latin1.GetByteCount(text.ToString()));
            text.Append(part).Append("endobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(text.ToString());
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"xref\n0 {objects + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets)
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{o:D10} 00000 n \n");
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects + 1} /Root {root} >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>An xref stream whose few hundred KB of Flate data inflate to 256 MB, four times the decoder's limit.</summary>
    private static byte[] Bomb()
    {
        using var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 256; i++)
                z.Write(zeros);
        }

        var data = packed.ToArray();
        var head = Encoding.Latin1.GetBytes($"%PDF-1.7\n1 0 obj\n<< /Type /XRef /Size 2 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length {data.Length} >>\nstream\n");
        var tail = Encoding.Latin1.GetBytes("\nendstream\nendobj\nstartxref\n9\n%%EOF\n");
        return [.. head, .. data, .. tail];
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, byte[] pdf, bool expectContinue = false)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "x.pdf");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        request.Headers.ExpectContinue = expectContinue;
        return client.SendAsync(request);
    }
}
