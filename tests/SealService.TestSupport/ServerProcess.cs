using System.Diagnostics;
using System.Text;

namespace SealService.TestSupport;

/// <summary>
/// A real server (PostgreSQL, Redis) run by a test as its own child process on loopback: it is ready when its log says
/// so, and is killed with its process tree on dispose. Its output is kept for failure messages.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyLine;

    private ServerProcess(ProcessStartInfo start, string readyLine)
    {
        _readyLine = readyLine;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Line(e.Data);
        _process.ErrorDataReceived += (_, e) => Line(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"{start.FileName} exited with {_process.ExitCode}:\n{Log}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="start"/> and waits (at most 60 s) for a log line containing <paramref name="readyLine"/>.</summary>
    public static ServerProcess Start(ProcessStartInfo start, string readyLine)
    {
        var server = new ServerProcess(start, readyLine);
        try
        {
            if (!server._ready.Task.Wait(TimeSpan.FromSeconds(60)))
                throw new TimeoutException($"{start.FileName} did not say '{readyLine}' within 60 s:\n{server.Log}");
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>SIGKILL, as a crash would.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>Runs a set-up command to its end (initdb); throws with its output when it fails.</summary>
    public static void Run(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within 120 s");
        }

        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr}");
    }

    private void Line(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
        if (line.Contains(_readyLine, StringComparison.Ordinal))
            _ready.TrySetResult();
    }
}
