using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace SealService.Keys.Pkcs11;

/// <summary>
/// One loaded module per path for the whole process: C_Initialize may run once per process, and a second
/// C_Finalize would end every other user's sessions. Modules stay loaded until the process exits.
/// </summary>
internal static class Pkcs11Modules
{
    private static readonly ConcurrentDictionary<string, Lazy<IPkcs11Library>> Loaded = new(StringComparer.Ordinal);

    public static readonly Pkcs11InteropFactories Factories = new();

    static Pkcs11Modules()
    {
        // Pkcs11Interop 5 dlopens through "libdl", which Debian 12 and later ship only as libdl.so.2.
        if (OperatingSystem.IsLinux())
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, _, _) =>
                name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero);
        }
    }

    public static IPkcs11Library Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new KeysException(KeyErrorCodes.TokenUnavailable, $"The PKCS#11 module {path} does not exist.");
        }

        var lazy = Loaded.GetOrAdd(Path.GetFullPath(path), p => new Lazy<IPkcs11Library>(() => Load(p)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Loaded.TryRemove(new KeyValuePair<string, Lazy<IPkcs11Library>>(Path.GetFullPath(path), lazy));
            throw;
        }
    }

    private static IPkcs11Library Load(string path)
    {
        try
        {
            return Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, path, AppType.MultiThreaded);
        }
        catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or DllNotFoundException)
        {
            throw new KeysException(KeyErrorCodes.TokenUnavailable, $"The PKCS#11 module {path} cannot be loaded: {e.Message}", e);
        }
    }
}
