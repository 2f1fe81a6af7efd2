using System.Security.Cryptography;
using System.Text;

namespace Dwarfsmith.DebugTest;

/// <summary>Files in the harness's cache: written whole (a temporary file renamed into place), keyed by hashes.</summary>
internal static class CacheFiles
{
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static void WriteAtomically(string path, string text)
    {
        var staged = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(staged, text);
        File.Move(staged, path, overwrite: true);
    }

    /// <summary>
    /// Moves a finished directory into place as <paramref name="destination"/>; when another process got there
    /// first (same key, same content), keeps theirs.
    /// </summary>
    public static void Publish(string stagedDirectory, string destination)
    {
        try
        {
            Directory.Move(stagedDirectory, destination);
        }
        catch (IOException) when (Directory.Exists(destination))
        {
            Directory.Delete(stagedDirectory, recursive: true);
        }
    }
}
