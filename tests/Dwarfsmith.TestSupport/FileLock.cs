namespace Dwarfsmith.TestSupport;

/// <summary>
/// An exclusive lock on a file, across threads and processes (an exclusive open, which .NET maps to
/// flock on Unix). Dispose to release.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Waits until the lock file can be opened exclusively, polling; throws after <paramref name="timeout"/>.</summary>
    public static FileLock Acquire(string path, TimeSpan timeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var deadline = DateTime.UtcNow + timeout;
        var delay = 10;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 200);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"Could not lock {path} within {timeout.TotalSeconds:F0} s.", ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
