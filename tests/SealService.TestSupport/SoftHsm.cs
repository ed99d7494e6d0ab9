using System.Runtime.InteropServices;

namespace SealService.TestSupport;

/// <summary>
/// A SoftHSM2 token of this test process, in a temp folder: its own configuration file (SOFTHSM2_CONF, set in the
/// native environment so the module sees it, and in the managed one so child processes inherit it) and one token
/// initialised by softhsm2-util. Created once per process: a PKCS#11 module is initialised once per process too.
/// </summary>
public sealed partial class SoftHsm
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    public const string TokenLabel = "sealservice-tests";

    /// <summary>A second token nobody logs in to: login is per application, so only here does a wrong PIN reach the check.</summary>
    public const string SpareTokenLabel = "sealservice-spare";
    public const string UserPin = "246810";
    public const string SoPin = "13579111";

    private static readonly Lazy<SoftHsm> Instance = new(Create);

    private SoftHsm(string directory, string configFile)
    {
        Directory = directory;
        ConfigFile = configFile;
    }

    /// <summary>The process's token (initialised on first use).</summary>
    public static SoftHsm Shared => Instance.Value;

    public string Directory { get; }

    /// <summary>The token's label (reading it through <see cref="Shared"/> initialises the token first).</summary>
    public string Label => TokenLabel;

    /// <summary>Pass as SOFTHSM2_CONF to a child process (a SealService host) that should see the same token.</summary>
    public string ConfigFile { get; }

    private static SoftHsm Create()
    {
        if (!File.Exists(Module))
        {
            throw new InvalidOperationException($"{Module} is missing: install the Debian package softhsm2 (scripts/ensure-test-tools.sh does).");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("sealservice-softhsm-").FullName;
        var tokens = System.IO.Directory.CreateDirectory(Path.Combine(directory, "tokens")).FullName;
        var config = Path.Combine(directory, "softhsm2.conf");
        File.WriteAllText(config, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", config);
        if (SetEnv("SOFTHSM2_CONF", config, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed");
        }

        foreach (var label in new[] { TokenLabel, SpareTokenLabel })
        {
            var init = ExternalTools.Run("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SoPin, "--pin", UserPin);
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException("softhsm2-util --init-token failed: " + init.All);
            }
        }

        return new SoftHsm(directory, config);
    }

    // .NET keeps its own copy of the environment on Unix; the module reads the C library's.
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}

/// <summary>Where a test's seal key lives: a PKCS#12 file or a SoftHSM2 token.</summary>
public enum KeySource
{
    File,
    Pkcs11,
}
