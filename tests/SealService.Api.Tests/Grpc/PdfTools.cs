using System.Diagnostics;

namespace SealService.Api.Tests.Grpc;

/// <summary>Runs the Debian PDF tools (qpdf, pdfsig) on a document, as a reader outside the service would.</summary>
public static class PdfTools
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, byte[] pdf, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sealservice-grpc-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
                start.ArgumentList.Add(arg);
            start.ArgumentList.Add(path);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
