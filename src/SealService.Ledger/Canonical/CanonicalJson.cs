using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SealService.Ledger.Canonical;

/// <summary>
/// Canonical JSON (the RFC 8785 / JCS subset the ledger needs): UTF-8 without BOM, no whitespace,
/// object members sorted by their names' UTF-16 code units, strings with the minimal escaping
/// (only <c>"</c>, <c>\</c> and U+0000..U+001F; \b \t \n \f \r short forms, else \u00xx lowercase),
/// integers only (no fractions or exponents), <c>true</c>/<c>false</c>/<c>null</c>.
/// Duplicate names are impossible (JsonObject rejects them). Floating-point numbers are refused.
/// </summary>
public static class CanonicalJson
{
    /// <summary>Nesting deeper than this is refused (records are flat).</summary>
    public const int MaxDepth = 16;

    public static byte[] Serialize(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, node, 0);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>RFC 3339 UTC with milliseconds and 'Z', e.g. 2026-11-29T19:25:24.123Z.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void Write(IBufferWriter<byte> output, JsonNode? node, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new LedgerException(LedgerErrorCodes.CanonicalJsonInvalid, $"JSON nested deeper than {MaxDepth}.");
        }

        switch (node)
        {
            case null:
                Ascii(output, "null");
                break;
            case JsonObject obj:
                {
                    var members = obj.ToList();
                    members.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                    Ascii(output, "{");
                    for (var i = 0; i < members.Count; i++)
                    {
                        if (i > 0)
                        {
                            Ascii(output, ",");
                        }

                        WriteString(output, members[i].Key);
                        Ascii(output, ":");
                        Write(output, members[i].Value, depth + 1);
                    }

                    Ascii(output, "}");
                    break;
                }

            case JsonArray array:
                Ascii(output, "[");
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        Ascii(output, ",");
                    }

                    Write(output, array[i], depth + 1);
                }

                Ascii(output, "]");
                break;
            case JsonValue value:
                WriteValue(output, value);
                break;
            default:
                throw new LedgerException(LedgerErrorCodes.CanonicalJsonInvalid, "Unsupported JSON node.");
        }
    }

    private static void WriteValue(IBufferWriter<byte> output, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(output, value.GetValue<string>());
                return;
            case JsonValueKind.True:
                Ascii(output, "true");
                return;
            case JsonValueKind.False:
                Ascii(output, "false");
                return;
            case JsonValueKind.Null:
                Ascii(output, "null");
                return;
            case JsonValueKind.Number:
                if (value.TryGetValue<long>(out var l))
                {
                    Ascii(output, l.ToString(CultureInfo.InvariantCulture));
                    return;
                }

                if (value.TryGetValue<int>(out var i))
                {
                    Ascii(output, i.ToString(CultureInfo.InvariantCulture));
                    return;
                }

                if (value.TryGetValue<JsonElement>(out var element) && element.TryGetInt64(out var parsed))
                {
                    Ascii(output, parsed.ToString(CultureInfo.InvariantCulture));
                    return;
                }

                throw new LedgerException(LedgerErrorCodes.CanonicalJsonInvalid, "Only integers are allowed in canonical JSON (no fractions, no exponents).");
            default:
                throw new LedgerException(LedgerErrorCodes.CanonicalJsonInvalid, "Unsupported JSON value.");
        }
    }

    private static void WriteString(IBufferWriter<byte> output, string text)
    {
        var sb = new StringBuilder(text.Length + 2);
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
        var s = sb.ToString();
        // Lone surrogates cannot be encoded as UTF-8: refuse rather than substitute.
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        try
        {
            var bytes = encoding.GetBytes(s);
            output.Write(bytes);
        }
        catch (EncoderFallbackException ex)
        {
            throw new LedgerException(LedgerErrorCodes.CanonicalJsonInvalid, "A string holds an unpaired surrogate.", ex);
        }
    }

    private static void Ascii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        output.Advance(text.Length);
    }
}
