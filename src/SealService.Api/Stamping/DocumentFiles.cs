using System.Security.Cryptography;
using SealService.Domain.Stamping;

namespace SealService.Api.Stamping;

/// <summary>
/// Stored documents under {data}/documents/yyyy/MM/{documentId}.pdf (metadata and hash in SQLite). Files are written to
/// a hidden ".partial" name in the same folder, fsync'ed, then renamed, so a visible file is always complete.
/// Uploads are spooled to {data}/documents/spool.
/// </summary>
public sealed class DocumentFiles(string root)
{
    private const int BufferSize = 81920;

    public string Root { get; } = Path.GetFullPath(root);

    public string SpoolDirectory => Path.Combine(Root, "spool");

    /// <summary>A new spool file for an upload (deleted on close).</summary>
    public FileStream CreateSpool()
    {
        Directory.CreateDirectory(SpoolDirectory);
        var path = Path.Combine(SpoolDirectory, Guid.NewGuid().ToString("N") + ".upload");
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
    }

    /// <summary>
    /// Deletes what a killed process left: hidden ".partial" documents and spooled ".upload" files last written before
    /// <paramref name="cutoffUtc"/>. Returns how many were removed. Never touches a published document.
    /// </summary>
    public int RemoveOrphans(DateTime cutoffUtc)
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var removed = 0;
        var orphans = Directory.EnumerateFiles(Root, ".*.partial", SearchOption.AllDirectories)
            .Concat(Directory.Exists(SpoolDirectory) ? Directory.EnumerateFiles(SpoolDirectory, "*.upload") : []);
        foreach (var path in orphans.ToList())
        {
            try
            {
                if (File.GetLastWriteTimeUtc(path) < cutoffUtc)
                {
                    File.Delete(path);
                    removed++;
                }
            }
            catch (IOException)
            {
                // Gone already, or in use: the next start tries again.
            }
        }

        return removed;
    }

    /// <summary>Relative storage path for a document stamped at <paramref name="at"/>.</summary>
    public static string StoragePathFor(string documentId, DateTimeOffset at) =>
        $"{at.UtcDateTime:yyyy}/{at.UtcDateTime:MM}/{documentId}.pdf";

    public string FullPath(string storagePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, storagePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("storage path outside the documents folder");
        }

        return full;
    }

    public Stream OpenRead(string storagePath) =>
        new FileStream(FullPath(storagePath), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize,
            FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>A temporary file beside the final place; the caller writes it, then <see cref="Produced.PublishAsync"/>.</summary>
    public Produced Create(string storagePath)
    {
        var final = FullPath(storagePath);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var temp = Path.Combine(Path.GetDirectoryName(final)!, "." + Path.GetFileName(final) + ".partial");
        return new Produced(storagePath, temp, final);
    }

    /// <summary>A signed document on its way to its final name.</summary>
    public sealed class Produced(string storagePath, string tempPath, string finalPath) : IProducedDocument
    {
        private bool _published;
        private bool _kept;

        public string StoragePath { get; } = storagePath;

        public string TempPath { get; } = tempPath;

        public string Sha256 { get; private set; } = string.Empty;

        public long Length { get; private set; }

        public FileStream OpenWrite() =>
            new(TempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.Asynchronous);

        /// <summary>Hashes the finished temp file and forces it to disk.</summary>
        public async Task SealAsync(FileStream written, CancellationToken ct)
        {
            await written.FlushAsync(ct);
            written.Flush(flushToDisk: true);
            written.Position = 0;
            Sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(written, ct));
            Length = written.Length;
        }

        public Task PublishAsync(CancellationToken ct)
        {
            if (!_published)
            {
                File.Move(TempPath, finalPath, overwrite: false);
                _published = true;
            }

            return Task.CompletedTask;
        }

        public void Keep() => _kept = true;

        public ValueTask DisposeAsync()
        {
            if (!_kept)
            {
                TryDelete(_published ? finalPath : TempPath);
            }

            return ValueTask.CompletedTask;
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Best effort: an orphan file without a database row is never served.
            }
        }
    }
}
