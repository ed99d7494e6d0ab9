using System.Diagnostics;

namespace SealService.TestSupport;

/// <summary>
/// Runs the real command-line tools the acceptance relies on (qpdf, pdfsig, certutil). Shared by
/// the PDF and API test projects (this small library).
/// </summary>
public static class ExternalTools
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string All => StdOut + StdErr;
    }

    public static Result Run(string file, params string[] args) => RunIn(null, file, args);

    /// <summary>Runs a program in a working folder of the test's choosing (null: the test's own).</summary>
    public static Result RunIn(string? workingDirectory, string file, params string[] args) =>
        RunIn(TimeSpan.FromMinutes(2), workingDirectory, file, args);

    /// <summary>The same with a longer limit, for a build (e.g. a publish that restores runtime packs).</summary>
    public static Result RunIn(TimeSpan timeout, string? workingDirectory, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8, // pdftotext -enc UTF-8 output is compared character by character
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish");
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>qpdf --check; exit 0 means no errors and no warnings.</summary>
    public static Result QpdfCheck(string pdf) => Run("qpdf", "--check", pdf);

    /// <summary>Rewrites a PDF with cross-reference streams and object streams.</summary>
    public static void ToXrefStreams(string input, string output)
    {
        var r = Run("qpdf", "--object-streams=generate", input, output);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException("qpdf failed: " + r.All);
        }
    }

    /// <summary>An NSS database in a new temp folder that trusts the given root (PEM) for everything.</summary>
    public static string CreateNssDb(string rootPemPath)
    {
        var dir = Directory.CreateTempSubdirectory("nssdb-").FullName;
        var init = Run("certutil", "-N", "-d", "sql:" + dir, "--empty-password");
        if (init.ExitCode != 0)
        {
            throw new InvalidOperationException("certutil -N failed: " + init.All);
        }

        var add = Run("certutil", "-A", "-d", "sql:" + dir, "-n", "devroot", "-t", "CT,C,C", "-i", rootPemPath);
        if (add.ExitCode != 0)
        {
            throw new InvalidOperationException("certutil -A failed: " + add.All);
        }

        return dir;
    }

    /// <summary>poppler's pdfsig; it exits 0 even for invalid signatures, so callers read its text.</summary>
    public static Result Pdfsig(string pdf, string nssDir) => Run("pdfsig", "-nssdir", "sql:" + nssDir, pdf);

    /// <summary>
    /// openssl cms -verify on the PDF's last signature: the CMS from /Contents (cut at its DER length) over the bytes
    /// its /ByteRange names, chained to <paramref name="rootPemPath"/>.
    /// </summary>
    public static Result OpenSslVerifyLastSignature(string pdf, string rootPemPath)
    {
        var bytes = File.ReadAllBytes(pdf);
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        var at = text.LastIndexOf("/ByteRange", StringComparison.Ordinal);
        var range = text[(text.IndexOf('[', at) + 1)..text.IndexOf(']', at)]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var cms = Convert.FromHexString(text.AsSpan(range[1] + 1, range[2] - range[1] - 2)); // between < and >, zero-padded
        var dir = Directory.CreateTempSubdirectory("openssl-cms-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "sig.der"), cms.AsSpan(0, DerLength(cms)).ToArray());
            File.WriteAllBytes(Path.Combine(dir, "content"), [.. bytes.AsSpan(range[0], range[1]), .. bytes.AsSpan(range[2], range[3])]);
            return Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", Path.Combine(dir, "sig.der"),
                "-content", Path.Combine(dir, "content"), "-CAfile", rootPemPath, "-purpose", "any", "-out", "/dev/null");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int DerLength(byte[] der)
    {
        if ((der[1] & 0x80) == 0)
        {
            return 2 + der[1];
        }

        var count = der[1] & 0x7f;
        var length = 0;
        for (var i = 0; i < count; i++)
        {
            length = (length << 8) | der[2 + i];
        }

        return 2 + count + length;
    }
}
