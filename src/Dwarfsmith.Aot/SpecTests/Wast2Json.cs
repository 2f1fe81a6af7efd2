using System.Security.Cryptography;
using System.Text;

namespace Dwarfsmith.Aot.SpecTests;

/// <summary>
/// Converts a .wast script with wabt's wast2json into a directory of JSON and module files, cached by
/// the script's contents and wast2json's version. Debian's wabt 1.0.32 cannot convert every file of
/// the current spec suite; the failure is kept, so it is reported, not retried.
/// </summary>
public static class Wast2Json
{
    /// <summary>The JSON file of the conversion, or null with wast2json's error.</summary>
    public static string? Convert(string wastPath, string cacheDirectory, out string? error)
    {
        var tool = AotCompiler.FindOnPath("wast2json") ?? throw new AotException("wast2json not found (install wabt)");
        var name = Path.GetFileNameWithoutExtension(wastPath);
        var key = new StringBuilder().Append(System.Convert.ToBase64String(SHA256.HashData(File.ReadAllBytes(wastPath)))).Append('|').Append(Version(tool)).ToString();
        var hash = System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        var directory = Path.Combine(cacheDirectory, $"{name}-{hash}");
        var json = Path.Combine(directory, name + ".json");
        var failure = Path.Combine(directory, "wast2json.error");
        if (!File.Exists(json) && !File.Exists(failure))
        {
            var staging = $"{directory}.tmp-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}";
            Directory.CreateDirectory(staging);
            var (exitCode, output) = AotCompiler.Run(tool, [wastPath, "-o", Path.Combine(staging, name + ".json")]);
            if (exitCode != 0)
                File.WriteAllText(Path.Combine(staging, "wast2json.error"), output.Trim().Length > 0 ? output.Trim() : $"exit {exitCode}");
            try
            {
                Directory.Move(staging, directory);
            }
            catch (IOException) when (Directory.Exists(directory))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        error = File.Exists(failure) ? File.ReadAllText(failure) : null;
        return error is null ? json : null;
    }

    private static string Version(string tool) => AotCompiler.Run(tool, ["--version"], captureStandardOutput: true).Output.Trim();
}
