using System.Runtime.InteropServices;

namespace SealService.Pdf.Fonts;

/// <summary>
/// hb_subset_* entry points of the native HarfBuzz shipped by HarfBuzzSharp.NativeAssets;
/// the managed HarfBuzzSharp API does not wrap the subsetter.
/// </summary>
internal static class HarfBuzzSubsetNative
{
    private const string Lib = "libHarfBuzzSharp";

    /// <summary>HB_SUBSET_FLAGS_NO_HINTING: drop TrueType hinting; PDF viewers do not need it.</summary>
    internal const uint FlagNoHinting = 0x1;

    [DllImport(Lib)]
    internal static extern IntPtr hb_subset_input_create_or_fail();

    [DllImport(Lib)]
    internal static extern void hb_subset_input_destroy(IntPtr input);

    [DllImport(Lib)]
    internal static extern IntPtr hb_subset_input_unicode_set(IntPtr input);

    [DllImport(Lib)]
    internal static extern void hb_subset_input_set_flags(IntPtr input, uint flags);

    [DllImport(Lib)]
    internal static extern void hb_set_add(IntPtr set, uint codepoint);

    [DllImport(Lib)]
    internal static extern IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);

    [DllImport(Lib)]
    internal static extern IntPtr hb_subset_preprocess(IntPtr face);

    [DllImport(Lib)]
    internal static extern IntPtr hb_face_reference_blob(IntPtr face);

    [DllImport(Lib)]
    internal static extern void hb_face_destroy(IntPtr face);

    [DllImport(Lib)]
    internal static extern IntPtr hb_blob_get_data(IntPtr blob, out uint length);

    [DllImport(Lib)]
    internal static extern void hb_blob_destroy(IntPtr blob);
}
