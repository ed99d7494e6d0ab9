using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using SealService.Pdf.Fonts;

namespace SealService.Pdf.Rendering;

/// <summary>
/// All templates of a directory: every "&lt;id&gt;.json" except "*.sample.json". Adding a template
/// is adding a file; each one is checked when loaded so a broken file fails at start-up, not at
/// stamping time.
/// </summary>
public sealed partial class TemplateCatalog
{
    public const int MaxTemplateFileBytes = 256 * 1024;
    private const string SampleSuffix = ".sample.json";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    private readonly FrozenDictionary<string, DocumentTemplate> templates;

    private TemplateCatalog(string directory, FrozenDictionary<string, DocumentTemplate> templates)
    {
        Directory = directory;
        this.templates = templates;
    }

    public string Directory { get; }

    public IReadOnlyCollection<DocumentTemplate> Templates => templates.Values;

    public IEnumerable<string> Ids => templates.Keys.Order(StringComparer.Ordinal);

    /// <summary>Loads and checks every template in <paramref name="directory"/>.</summary>
    public static TemplateCatalog Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new TemplateException(RenderErrorCodes.TemplateNotFound, $"template directory {directory} does not exist");
        }

        var map = new Dictionary<string, DocumentTemplate>(StringComparer.Ordinal);
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            if (path.EndsWith(SampleSuffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var template = LoadFile(path);
            map.Add(template.Id, template);
        }

        return new TemplateCatalog(Path.GetFullPath(directory), map.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Reads and checks one template file; its id must equal the file name.</summary>
    public static DocumentTemplate LoadFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length > MaxTemplateFileBytes)
        {
            throw new TemplateException(
                RenderErrorCodes.TemplateInvalid, $"{path}: missing or larger than {MaxTemplateFileBytes} bytes");
        }

        DocumentTemplate? template;
        try
        {
            using var stream = info.OpenRead();
            template = JsonSerializer.Deserialize<DocumentTemplate>(stream, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new TemplateException(RenderErrorCodes.TemplateInvalid, $"{path}: {e.Message}");
        }

        if (template is null)
        {
            throw new TemplateException(RenderErrorCodes.TemplateInvalid, $"{path}: empty template");
        }

        var fileId = Path.GetFileNameWithoutExtension(path);
        if (!string.Equals(fileId, template.Id, StringComparison.Ordinal))
        {
            throw new TemplateException(RenderErrorCodes.TemplateInvalid, $"{path}: id \"{template.Id}\" differs from the file name");
        }

        TemplateChecker.Check(template, DocumentFont.Shared.Covers);
        return template;
    }

    /// <summary>The path of a template's sample data file.</summary>
    public string SamplePath(string id) => Path.Combine(Directory, id + SampleSuffix);

    public bool TryGet(string id, out DocumentTemplate template) =>
        templates.TryGetValue(id, out template!);

    public DocumentTemplate Get(string id) =>
        templates.TryGetValue(id, out var template)
            ? template
            : throw new TemplateException(RenderErrorCodes.TemplateNotFound, $"no template \"{(id.Length > 64 ? id[..64] : id)}\"");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    internal static partial Regex IdPattern();

    [GeneratedRegex("^[a-z][A-Za-z0-9]{0,39}$")]
    internal static partial Regex FieldNamePattern();
}
