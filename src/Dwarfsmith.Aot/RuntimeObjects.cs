using System.Security.Cryptography;
using System.Text;

namespace Dwarfsmith.Aot;

/// <summary>
/// The embedded runtime's C files compiled to objects once per compiler, version and flags, and
/// kept in a cache: the runtime is the same for every module, and compiling it takes several times
/// as long as a small module's own C (a one-function module: about 4 s, of which the module's C is
/// under half a second).
/// </summary>
internal static class RuntimeObjects
{
    /// <summary>The per-user cache: <c>$XDG_CACHE_HOME/dwarfsmith/runtime</c>, else <c>~/.cache/dwarfsmith/runtime</c>.</summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(root))
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "dwarfsmith", "runtime");
        }
    }

    /// <summary>
    /// The objects of <paramref name="sources"/> (runtime file names) compiled with
    /// <paramref name="flags"/> (without an include directory: the runtime's own folder is added),
    /// from <paramref name="cacheDirectory"/> or compiled into it on a miss.
    /// </summary>
    public static IReadOnlyList<string> Get(string compiler, IReadOnlyList<string> flags, IReadOnlyList<string> sources, string cacheDirectory)
    {
        var directory = Path.Combine(cacheDirectory, Key(compiler, flags, sources));
        var objects = sources.Select(source => Path.Combine(directory, Path.ChangeExtension(source, ".o"))).ToList();
        if (Directory.Exists(directory))
            return objects;

        // Staged beside the cache entry, so that it appears whole with one rename.
        var staging = Directory.CreateDirectory(Path.Combine(cacheDirectory, $"staging-{Guid.NewGuid():N}")).FullName;
        try
        {
            foreach (var (name, text) in EmbeddedRuntime.Files)
                File.WriteAllText(Path.Combine(staging, name), text);
            // The objects' DWARF names one stable folder instead of the staging folder, which is gone.
            List<string> common = [.. flags, "-I", staging, $"-fdebug-prefix-map={staging}=/dwarfsmith/runtime", "-c"];
            var results = new (int ExitCode, string Output)[sources.Count];
            Parallel.For(0, sources.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                var source = Path.Combine(staging, sources[i]);
                results[i] = AotCompiler.Run(compiler, [.. common, source, "-o", Path.ChangeExtension(source, ".o")]);
            });
            foreach (var result in results)
                AotCompiler.CheckCompiler(compiler, result);
            foreach (var (name, _) in EmbeddedRuntime.Files)
                File.Delete(Path.Combine(staging, name));
            Directory.Move(staging, directory);
        }
        catch (IOException) when (Directory.Exists(directory))
        {
            // Another process compiled the same objects first: theirs are as good.
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
        return objects;
    }

    /// <summary>What the objects depend on: the compiler and its version, the flags, the runtime's every file.</summary>
    private static string Key(string compiler, IReadOnlyList<string> flags, IReadOnlyList<string> sources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        Add(compiler);
        Add(AotCompiler.CompilerVersion(compiler));
        foreach (var flag in flags)
            Add(flag);
        Add("|");
        foreach (var source in sources)
            Add(source);
        Add("|");
        foreach (var (name, text) in EmbeddedRuntime.Files)
        {
            Add(name);
            Add(text);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
    }
}
