using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SealService.Api.Tests.OpenApi;

/// <summary>
/// Builds requests from /openapi/v1.json alone, as a generated client would: the operation's declared header and query
/// parameters, its request body schema per media type (JSON, or multipart with the parts and part content types the
/// document names), and a bearer token only where the operation declares security. A value the document has no place
/// for, or a required one missing, is an error: the document must describe what the service needs.
/// </summary>
public sealed class OpenApiRequestBuilder(JsonElement document)
{
    public JsonElement Operation(string method, string path) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant());

    public bool IsSecured(JsonElement operation) =>
        operation.TryGetProperty("security", out var security) && security.EnumerateArray().Any(r => r.TryGetProperty("Bearer", out _));

    public HttpRequestMessage Build(string method, string path, IReadOnlyDictionary<string, object?> values, string? mediaType = null, byte[]? file = null, string? token = null)
    {
        var operation = Operation(method, path);
        var unused = new HashSet<string>(values.Keys, StringComparer.Ordinal);
        var query = new List<string>();
        var message = new HttpRequestMessage(new HttpMethod(method), path);
        foreach (var parameter in Array(operation, "parameters"))
        {
            var name = parameter.GetProperty("name").GetString()!;
            var required = parameter.TryGetProperty("required", out var r) && r.GetBoolean();
            if (!values.TryGetValue(name, out var value) || value is null)
            {
                Assert.False(required, $"{method} {path}: the document requires parameter {name}, which the test did not give");
                continue;
            }

            unused.Remove(name);
            switch (parameter.GetProperty("in").GetString())
            {
                case "header": message.Headers.Add(name, value.ToString()); break;
                case "query": query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value.ToString()!)}"); break;
            }
        }

        if (query.Count > 0)
            message.RequestUri = new Uri($"{path}?{string.Join('&', query)}", UriKind.Relative);
        if (mediaType is not null)
        {
            var content = operation.GetProperty("requestBody").GetProperty("content");
            Assert.True(content.TryGetProperty(mediaType, out var media), $"{method} {path}: the document offers no {mediaType} body");
            var schema = Resolve(media.GetProperty("schema"));
            message.Content = mediaType == "multipart/form-data"
                ? Multipart(schema, media, values, file, unused)
                : new StringContent(Object(schema, values, unused).ToJsonString(), Encoding.UTF8, mediaType);
        }

        Assert.True(unused.Count == 0, $"{method} {path}: the document has no place for {string.Join(", ", unused)}");
        if (IsSecured(operation))
        {
            Assert.NotNull(token);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return message;
    }

    /// <summary>The status is one the operation declares; a 2xx JSON body has the schema's required properties.</summary>
    public async Task<JsonElement> CheckResponseAsync(string method, string path, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var responses = Operation(method, path).GetProperty("responses");
        Assert.True(responses.TryGetProperty(status, out var declared), $"{method} {path} answered {status}, which the document does not declare: {body}");
        var json = JsonDocument.Parse(body).RootElement.Clone();
        var mediaType = response.Content.Headers.ContentType?.MediaType!;
        Assert.True(declared.GetProperty("content").TryGetProperty(mediaType, out var media), $"{status} as {mediaType} is not declared");
        var schema = Resolve(media.GetProperty("schema"));
        foreach (var required in Array(schema, "required"))
            Assert.True(json.TryGetProperty(required.GetString()!, out _), $"{status} body lacks {required}: {body}");
        return json;
    }

    private MultipartFormDataContent Multipart(JsonElement schema, JsonElement media, IReadOnlyDictionary<string, object?> values, byte[]? file, HashSet<string> unused)
    {
        var form = new MultipartFormDataContent();
        var required = Array(schema, "required").Select(r => r.GetString()!).ToHashSet();
        var encodings = media.TryGetProperty("encoding", out var e) ? e : default;
        // Binary parts last: the service reads the request part before the file.
        foreach (var (name, partSchema) in schema.GetProperty("properties").EnumerateObject().Select(p => (p.Name, Resolve(p.Value))).OrderBy(p => IsBinary(p.Item2)))
        {
            var contentType = encodings.ValueKind == JsonValueKind.Object && encodings.TryGetProperty(name, out var enc) ? enc.GetProperty("contentType").GetString() : null;
            if (IsBinary(partSchema))
            {
                Assert.True(file is not null || !required.Contains(name), $"part {name} is required");
                if (file is null)
                    continue;
                var part = new ByteArrayContent(file);
                part.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/octet-stream");
                form.Add(part, name, name + ".pdf");
            }
            else if (values.TryGetValue(name, out var value) && value is not null)
            {
                unused.Remove(name);
                string text;
                if (value is IReadOnlyDictionary<string, object?> nested)
                {
                    var nestedUnused = new HashSet<string>(nested.Keys, StringComparer.Ordinal);
                    text = Object(partSchema, nested, nestedUnused).ToJsonString();
                    Assert.True(nestedUnused.Count == 0, $"part {name} has no place for {string.Join(", ", nestedUnused)}");
                }
                else
                {
                    text = value.ToString()!;
                }

                form.Add(new StringContent(text, Encoding.UTF8, contentType ?? "text/plain"), name);
            }
            else
            {
                Assert.False(required.Contains(name), $"part {name} is required");
            }
        }

        return form;
    }

    private JsonObject Object(JsonElement schema, IReadOnlyDictionary<string, object?> values, HashSet<string> unused)
    {
        var properties = schema.GetProperty("properties");
        var json = new JsonObject();
        foreach (var required in Array(schema, "required"))
            Assert.True(values.ContainsKey(required.GetString()!), $"the document requires {required}, which the test did not give");
        foreach (var (name, value) in values)
        {
            if (!properties.TryGetProperty(name, out _))
                continue; // left in `unused`: reported by Build
            unused.Remove(name);
            json[name] = JsonSerializer.SerializeToNode(value);
        }

        return json;
    }

    private static bool IsBinary(JsonElement schema) => schema.TryGetProperty("format", out var f) && f.GetString() == "binary";

    private JsonElement Resolve(JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
            return schema;
        var name = reference.GetString()!.Split('/')[^1];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];
}
