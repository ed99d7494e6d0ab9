using System.Security.Cryptography;
using System.Text.Json;
using SealService.Domain.Model;
using SealService.Domain.Policy;

namespace SealService.Domain.Stamping;

/// <summary>
/// SHA-256 over a canonical JSON form of who asked and what (object keys sorted, no whitespace, the upload as its
/// SHA-256): two requests are "the same" for idempotency exactly when these hashes are equal.
/// </summary>
public static class RequestHash
{
    public static string Compute(Caller caller, StampCommand c, string? uploadSha256)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("callerDepartmentId", caller.DepartmentId);
            w.WriteString("callerName", caller.PersonName);
            w.WriteString("callerRole", Wire.Name(caller.Role));
            w.WriteString("callerTownshipId", caller.TownshipId);
            w.WriteString("callerVillageStationId", caller.VillageStationId);
            w.WriteString("caseNumber", c.CaseNumber);
            w.WriteString("documentKind", c.DocumentKind is { } k ? Wire.Name(k) : null);
            w.WritePropertyName("fields");
            WriteCanonical(w, c.Fields);
            w.WriteString("matterId", c.MatterId);
            if (c.SignatureField is { } field)
            {
                w.WriteString("signatureField", field); // only when given: hashes of earlier requests stay as they were
            }

            w.WritePropertyName("placement");
            if (c.Placement is { } p)
            {
                w.WriteStartObject();
                w.WriteNumber("height", p.Height);
                w.WriteNumber("page", p.Page);
                w.WriteNumber("width", p.Width);
                w.WriteNumber("x", p.X);
                w.WriteNumber("y", p.Y);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteString("sealId", c.SealId);
            if (c.SignatureLevel is { } level)
            {
                w.WriteString("signatureLevel", level.Name()); // only when given, as signatureField
            }

            w.WriteString("step", Wire.Name(c.Step));
            w.WriteString("subjectTownshipId", c.SubjectTownshipId);
            w.WriteString("templateId", c.TemplateId);
            w.WriteString("uploadSha256", uploadSha256);
            w.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void WriteCanonical(Utf8JsonWriter w, JsonElement? element)
    {
        if (element is not { } e || e.ValueKind == JsonValueKind.Undefined)
        {
            w.WriteNullValue();
            return;
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var property in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(property.Name);
                    WriteCanonical(w, property.Value);
                }

                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray())
                {
                    WriteCanonical(w, item);
                }

                w.WriteEndArray();
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }
}
