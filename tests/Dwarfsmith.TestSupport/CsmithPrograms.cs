namespace Dwarfsmith.TestSupport;

/// <summary>Random C programs from Csmith, by seed, cached under .cache/csmith.</summary>
public static class CsmithPrograms
{
    /// <summary>The flags a Csmith program needs beside the target's: its headers, and no warnings.</summary>
    public static readonly IReadOnlyList<string> Flags = ["-I/usr/include/csmith", "-w"];

    /// <summary>The path of <c>csmith --seed N</c>'s program, generating it on a miss.</summary>
    public static string Generate(int seed)
    {
        var path = Path.Combine(RepoPaths.CacheDirectory("csmith"), $"seed{seed}.c");
        if (!File.Exists(path))
        {
            var run = ProcessRunner.Run(Toolchain.Csmith, ["--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)]).EnsureSuccess();
            var staged = path + $".{Guid.NewGuid():N}.tmp";
            File.WriteAllText(staged, run.StandardOutput);
            File.Move(staged, path, overwrite: true);
        }

        return path;
    }
}
