using System.Runtime.InteropServices;
using HarfBuzzSharp;
using SkiaSharp;

namespace SealService.Pdf.Fonts;

/// <summary>
/// The bundled CJK font (WenQuanYi Micro Hei, face 0), loaded once from the assembly's
/// embedded resource without copying. Per document it is cut down to the characters used
/// with HarfBuzz's subsetter, so a PDF embeds a few KB of glyphs instead of 5 MB and its
/// ToUnicode map contains only the document's own characters.
/// </summary>
public sealed class DocumentFont
{
    private const string ResourceName = "SealService.Pdf.Fonts.wqy-microhei.ttc";

    private static readonly Lazy<DocumentFont> SharedInstance = new(Load);

    // Pinned for the process lifetime: the native blob points into it without copying.
    private readonly byte[] fontFile;
    private readonly Face face;
    private readonly HarfBuzzSharp.Font hbFont;
    private readonly IntPtr preprocessedFace;

    private DocumentFont(byte[] fontFile, Face face, HarfBuzzSharp.Font hbFont, IntPtr preprocessedFace)
    {
        this.fontFile = fontFile;
        this.face = face;
        this.hbFont = hbFont;
        this.preprocessedFace = preprocessedFace;
    }

    /// <summary>The process-wide instance (thread-safe: HarfBuzz faces are immutable once made).</summary>
    public static DocumentFont Shared => SharedInstance.Value;

    /// <summary>Size of the bundled font file in bytes.</summary>
    public int FontFileLength => fontFile.Length;

    /// <summary>Glyphs in the full face.</summary>
    public int GlyphCount => face.GlyphCount;

    /// <summary>True when the font has a glyph for the code point.</summary>
    public bool Covers(int codePoint) =>
        codePoint >= 0 && hbFont.TryGetGlyph((uint)codePoint, out var glyph) && glyph != 0;

    /// <summary>
    /// A typeface containing only <paramref name="codePoints"/> (plus .notdef). Advances are the
    /// full font's, so layout measured with it matches what is drawn.
    /// </summary>
    public SKTypeface CreateSubset(IEnumerable<int> codePoints)
    {
        ArgumentNullException.ThrowIfNull(codePoints);
        var input = HarfBuzzSubsetNative.hb_subset_input_create_or_fail();
        if (input == IntPtr.Zero)
        {
            throw new InvalidOperationException("FONT_SUBSET_FAILED: HarfBuzz could not allocate a subset input");
        }

        IntPtr subsetFace = IntPtr.Zero;
        IntPtr subsetBlob = IntPtr.Zero;
        try
        {
            HarfBuzzSubsetNative.hb_subset_input_set_flags(input, HarfBuzzSubsetNative.FlagNoHinting);
            var unicodes = HarfBuzzSubsetNative.hb_subset_input_unicode_set(input);
            foreach (var cp in codePoints)
            {
                HarfBuzzSubsetNative.hb_set_add(unicodes, (uint)cp);
            }

            subsetFace = HarfBuzzSubsetNative.hb_subset_or_fail(preprocessedFace, input);
            if (subsetFace == IntPtr.Zero)
            {
                throw new InvalidOperationException("FONT_SUBSET_FAILED: HarfBuzz could not subset the font");
            }

            subsetBlob = HarfBuzzSubsetNative.hb_face_reference_blob(subsetFace);
            var data = HarfBuzzSubsetNative.hb_blob_get_data(subsetBlob, out var length);
            if (data == IntPtr.Zero || length == 0)
            {
                throw new InvalidOperationException("FONT_SUBSET_FAILED: empty subset");
            }

            using var skData = SKData.CreateCopy(data, length);
            return SKTypeface.FromData(skData)
                ?? throw new InvalidOperationException("FONT_SUBSET_FAILED: Skia rejected the subset font");
        }
        finally
        {
            if (subsetBlob != IntPtr.Zero)
            {
                HarfBuzzSubsetNative.hb_blob_destroy(subsetBlob);
            }

            if (subsetFace != IntPtr.Zero)
            {
                HarfBuzzSubsetNative.hb_face_destroy(subsetFace);
            }

            HarfBuzzSubsetNative.hb_subset_input_destroy(input);
        }
    }

    private static DocumentFont Load()
    {
        using var stream = typeof(DocumentFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"FONT_MISSING: embedded resource {ResourceName} not found");
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)stream.Length), pinned: true);
        stream.ReadExactly(bytes);
        var pointer = Marshal.UnsafeAddrOfPinnedArrayElement(bytes, 0);
        // The native face references the blob; the pinned array outlives both (it is never released).
        var blob = new Blob(pointer, bytes.Length, MemoryMode.ReadOnly);
        blob.MakeImmutable();
        var face = new Face(blob, 0);
        face.MakeImmutable();
        var font = new HarfBuzzSharp.Font(face);
        var pre = HarfBuzzSubsetNative.hb_subset_preprocess(face.Handle);
        if (pre == IntPtr.Zero)
        {
            throw new InvalidOperationException("FONT_SUBSET_FAILED: HarfBuzz could not prepare the font");
        }

        return new DocumentFont(bytes, face, font, pre);
    }
}
