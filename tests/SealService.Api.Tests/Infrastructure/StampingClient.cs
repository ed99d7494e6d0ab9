using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SealService.Api.Tests.Infrastructure;

/// <summary>POST /api/v1/stampings as JSON (template) or multipart (request + file), with an Idempotency-Key.</summary>
public static class StampingClient
{
    public static Task<HttpResponseMessage> StampJson(this HttpClient client, object request, string? key = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stampings") { Content = JsonContent.Create(request) };
        message.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return client.SendAsync(message);
    }

    public static Task<HttpResponseMessage> StampUpload(this HttpClient client, object request, byte[] pdf, string? key = null)
    {
        var form = new MultipartFormDataContent
        {
            { JsonContent.Create(request), "request" },
        };
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "upload.pdf");
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stampings") { Content = form };
        message.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return client.SendAsync(message);
    }

    /// <summary>A template stamping request; fields default to the template's committed sample values.</summary>
    public static object Template(string sealId, string matterId, string step, string subject, string templateId, string caseNumber,
        IDictionary<string, object?>? fieldOverrides = null, string? documentKind = null)
    {
        var fields = TestPdfs.SampleFields(templateId);
        foreach (var (k, v) in fieldOverrides ?? new Dictionary<string, object?>())
            fields[k] = v;
        return new { sealId, matterId, step, caseNumber, subjectTownshipId = subject, templateId, fields, documentKind };
    }

    /// <summary>The request with <c>signatureLevel</c> (B-B, B-T, B-LT, B-LTA, or anything to be refused) added.</summary>
    public static System.Text.Json.Nodes.JsonObject WithLevel(object request, string level)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(request)!.AsObject();
        json["signatureLevel"] = level;
        return json;
    }

    /// <summary>An upload request; an upload must name its kind, by default the one its step issues.</summary>
    public static object Upload(string sealId, string matterId, string step, string subject, string caseNumber, object? placement = null,
        string? documentKind = null) =>
        new { sealId, matterId, step, caseNumber, subjectTownshipId = subject, placement, documentKind = documentKind ?? KindOfStep(step) };

    /// <summary>The document a step naturally issues.</summary>
    public static string KindOfStep(string step) => step switch
    {
        "accept" => "acceptance-receipt",
        "initial-check" or "review" or "re-check" => "review-opinion",
        "decide" => "decision",
        _ => "certificate",
    };

    public static async Task<byte[]> Download(this HttpClient client, string documentId)
    {
        var response = await client.GetAsync($"/api/v1/documents/{documentId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Every seal use the client may see for a filter (all pages).</summary>
    public static async Task<List<JsonElement>> AllSealUses(this HttpClient client, string query)
    {
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var body = await client.GetJson($"/api/v1/seal-uses?{query}&page={page}&pageSize=200");
            var items = body.GetProperty("items").EnumerateArray().ToList();
            all.AddRange(items);
            if (items.Count == 0 || all.Count >= body.GetProperty("total").GetInt32())
                return all;
        }
    }
}
