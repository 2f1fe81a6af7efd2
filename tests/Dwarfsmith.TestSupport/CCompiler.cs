using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Dwarfsmith.TestSupport;

/// <summary>What a C build produces code for.</summary>
public enum CompileTarget
{
    /// <summary>wasm32-wasi with clang-22 and Debian's wasi-libc.</summary>
    Wasm32Wasi,

    /// <summary>The host (x86-64 Linux, or i386 with <see cref="CompileOptions.Host32"/>) with clang-22.</summary>
    HostClang,

    /// <summary>The host with gcc.</summary>
    HostGcc,
}

/// <summary>Optimization level: <c>-O0</c> … <c>-O3</c>, <c>-Os</c>.</summary>
public enum OptLevel
{
    O0,
    O1,
    O2,
    O3,
    Os,
}

/// <summary>How to compile: target, optimization, DWARF version, object-only, extra flags.</summary>
public sealed record CompileOptions
{
    public CompileTarget Target { get; init; } = CompileTarget.Wasm32Wasi;

    public OptLevel Opt { get; init; } = OptLevel.O0;

    /// <summary>DWARF version, passed as <c>-gdwarf-N</c> (4 is clang's default for wasm; the host defaults would be 5).</summary>
    public int DwarfVersion { get; init; } = 4;

    /// <summary>Compile only (<c>-c</c>): a relocatable object (a wasm object file for wasm). One source only.</summary>
    public bool ObjectOnly { get; init; }

    /// <summary>Host builds only: <c>-m32</c> (ILP32 like wasm32; needs gcc-multilib / libc6-dev-i386).</summary>
    public bool Host32 { get; init; }

    /// <summary>Extra compiler/linker flags (<c>-D…</c>, <c>-l…</c>), appended after the standard ones.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>Further input files (headers) whose contents go into the cache key.</summary>
    public IReadOnlyList<string> DependencyFiles { get; init; } = [];

    /// <summary>The output file's name; defaults to the first source's stem plus .wasm / .o / nothing.</summary>
    public string? OutputName { get; init; }

    public static CompileOptions Wasm(OptLevel opt = OptLevel.O0, int dwarfVersion = 4) =>
        new() { Target = CompileTarget.Wasm32Wasi, Opt = opt, DwarfVersion = dwarfVersion };

    public static CompileOptions Host(OptLevel opt = OptLevel.O0, int dwarfVersion = 4, CompileTarget compiler = CompileTarget.HostClang) =>
        new() { Target = compiler, Opt = opt, DwarfVersion = dwarfVersion };

    /// <summary>Short description for test names and messages, e.g. "wasm32-wasi -O2 DWARF5".</summary>
    public override string ToString()
    {
        var target = Target switch
        {
            CompileTarget.Wasm32Wasi => "wasm32-wasi",
            CompileTarget.HostClang => Host32 ? "host-clang-m32" : "host-clang",
            _ => Host32 ? "host-gcc-m32" : "host-gcc",
        };
        var extra = Flags.Count == 0 ? "" : " " + string.Join(' ', Flags);
        return $"{target} -{Opt} DWARF{DwarfVersion}{(ObjectOnly ? " -c" : "")}{extra}";
    }
}

/// <summary>A built file in the cache.</summary>
/// <param name="Path">The output (wasm module, object file or host executable).</param>
/// <param name="Key">The hex SHA-256 cache key (sources' contents and paths, flags, compiler version).</param>
/// <param name="CacheHit">True when the output came from the cache rather than this call's compiler run.</param>
/// <param name="CommandLine">The compiler command that produced it.</param>
/// <param name="Elapsed">Time spent in this call (waiting and compiling, or just the lookup).</param>
public sealed record BuildOutput(string Path, string Key, bool CacheHit, string CommandLine, TimeSpan Elapsed);

/// <summary>
/// Compiles (and links) C to wasm32-wasi (clang-22, wasi-libc) and to the host (clang-22, gcc), caching outputs under
/// <c>.cache/build/&lt;key&gt;/</c>. The key is a SHA-256 of the sources (paths and contents), the flags and
/// the compiler version. Safe under parallel tests and processes: one build per key at a time (lock file),
/// written to a temporary directory and renamed into place. Inputs may be object files too (the clang
/// driver links them: pass <c>-Wl,…</c> in <see cref="CompileOptions.Flags"/> for wasm-ld).
/// </summary>
public static class CCompiler
{
    private const string KeySchema = "dwarfsmith-cbuild-v1";
    private static readonly TimeSpan s_compileTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The standard wasm flags (before optimization, DWARF version and extras).</summary>
    public static IReadOnlyList<string> WasmBaseFlags { get; } =
        ["--target=wasm32-wasi", "-Wno-deprecated", "--sysroot=/usr", "--no-wasm-opt", "-g"];

    public static BuildOutput Compile(string sourcePath, CompileOptions options) => Compile([sourcePath], options);

    /// <summary>The cached output for these inputs and options, if it was built before; never compiles.</summary>
    public static bool TryGetCached(IReadOnlyList<string> sourcePaths, CompileOptions options, [NotNullWhen(true)] out BuildOutput? output)
    {
        var stopwatch = Stopwatch.StartNew();
        var plan = Plan(sourcePaths, options);
        output = File.Exists(plan.OutputPath) ? plan.Output(cacheHit: true, stopwatch.Elapsed) : null;
        return output is not null;
    }

    public static BuildOutput Compile(IReadOnlyList<string> sourcePaths, CompileOptions options)
    {
        var stopwatch = Stopwatch.StartNew();
        var plan = Plan(sourcePaths, options);
        if (File.Exists(plan.OutputPath))
        {
            return plan.Output(cacheHit: true, stopwatch.Elapsed);
        }

        var cacheRoot = Path.GetDirectoryName(plan.Directory)!;
        using (FileLock.Acquire(plan.Directory + ".lock", s_compileTimeout))
        {
            if (File.Exists(plan.OutputPath))
            {
                return plan.Output(cacheHit: true, stopwatch.Elapsed);
            }

            var tempDir = Path.Combine(cacheRoot, $"tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(tempDir);
            try
            {
                var tempOutput = Path.Combine(tempDir, plan.OutputName);
                var result = ProcessRunner.Run(plan.Compiler, Arguments(plan.Sources, options, tempOutput), new ProcessOptions
                {
                    WorkingDirectory = Path.GetDirectoryName(plan.Sources[0]),
                    Timeout = s_compileTimeout,
                });
                if (!result.Succeeded || !File.Exists(tempOutput))
                {
                    throw new ToolFailedException(result);
                }

                File.WriteAllText(Path.Combine(tempDir, "command.txt"), plan.CommandLine + "\n");
                File.WriteAllText(Path.Combine(tempDir, "key.txt"), KeyMaterial(plan.Compiler, plan.Sources, options));
                if (result.StandardError.Length > 0)
                {
                    File.WriteAllText(Path.Combine(tempDir, "stderr.txt"), result.StandardError);
                }

                if (Directory.Exists(plan.Directory))
                {
                    // The output name is part of the key, so this is only a directory left by an
                    // interrupted older layout: replace it. (We rename whole directories: never half-written.)
                    Directory.Delete(plan.Directory, recursive: true);
                }

                Directory.Move(tempDir, plan.Directory);
            }
            finally
            {
                if (Directory.Exists(tempDir))
                {
                    Directory.Delete(tempDir, recursive: true);
                }
            }
        }

        return plan.Output(cacheHit: false, stopwatch.Elapsed);
    }

    /// <summary>The compiler arguments for these sources and options, writing to <paramref name="outputPath"/>.</summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> sourcePaths, CompileOptions options, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(sourcePaths);
        ArgumentNullException.ThrowIfNull(options);
        var args = new List<string>();
        if (options.Target == CompileTarget.Wasm32Wasi)
        {
            args.AddRange(WasmBaseFlags);
        }
        else
        {
            args.Add("-g");
            if (options.Host32)
            {
                args.Add("-m32");
                args.Add("-msse2");
                args.Add("-mfpmath=sse");
            }
        }

        args.Add("-" + options.Opt);
        args.Add($"-gdwarf-{options.DwarfVersion}");
        if (options.ObjectOnly)
        {
            args.Add("-c");
        }

        args.AddRange(options.Flags);
        args.AddRange(sourcePaths);
        if (options.Target != CompileTarget.Wasm32Wasi && !options.ObjectOnly)
        {
            args.Add("-lm");
        }

        args.Add("-o");
        args.Add(outputPath);
        return args;
    }

    /// <summary>The path of the compiler used for a target.</summary>
    public static string CompilerPath(CompileTarget target) => target == CompileTarget.HostGcc ? Toolchain.Gcc : Toolchain.Clang;

    private static BuildPlan Plan(IReadOnlyList<string> sourcePaths, CompileOptions options)
    {
        ArgumentNullException.ThrowIfNull(sourcePaths);
        ArgumentNullException.ThrowIfNull(options);
        if (sourcePaths.Count == 0)
        {
            throw new ArgumentException("No source files.", nameof(sourcePaths));
        }

        if (options.ObjectOnly && sourcePaths.Count != 1)
        {
            throw new ArgumentException("An object-only build takes exactly one source.", nameof(sourcePaths));
        }

        var sources = sourcePaths.Select(p => Path.GetFullPath(p)).ToArray();
        foreach (var source in sources.Concat(options.DependencyFiles))
        {
            if (!File.Exists(source))
            {
                throw new TestEnvironmentException($"Source file not found: {source}");
            }
        }

        var compiler = CompilerPath(options.Target);
        var outputName = options.OutputName ?? DefaultOutputName(sources[0], options);
        var key = ComputeKey(compiler, sources, options);
        var directory = Path.Combine(RepoPaths.CacheDirectory("build"), key[..32]);
        var commandLine = ProcessRunner.FormatCommandLine(compiler, Arguments(sources, options, outputName));
        return new BuildPlan(compiler, sources, outputName, key, directory, commandLine);
    }

    private static string DefaultOutputName(string firstSource, CompileOptions options)
    {
        var stem = Path.GetFileNameWithoutExtension(firstSource);
        if (options.ObjectOnly)
        {
            return stem + ".o";
        }

        return options.Target == CompileTarget.Wasm32Wasi ? stem + ".wasm" : stem;
    }

    private static string ComputeKey(string compiler, IReadOnlyList<string> sources, CompileOptions options)
    {
        var material = KeyMaterial(compiler, sources, options);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    private static string KeyMaterial(string compiler, IReadOnlyList<string> sources, CompileOptions options)
    {
        var sb = new StringBuilder();
        sb.Append(KeySchema).Append('\n');
        sb.Append("compiler ").Append(compiler).Append('\n');
        sb.Append("version ").Append(options.Target == CompileTarget.HostGcc ? Toolchain.GccVersion : Toolchain.ClangVersion).Append('\n');
        sb.Append("output ").Append(options.OutputName ?? "").Append('\n');
        foreach (var arg in Arguments(["<sources>"], options, "<output>"))
        {
            sb.Append("arg ").Append(arg).Append('\n');
        }

        foreach (var file in sources.Concat(options.DependencyFiles.Select(p => Path.GetFullPath(p))))
        {
            // The absolute path is part of the key: it is written into the DWARF.
            sb.Append("file ").Append(file).Append(' ').Append(HashFile(file)).Append('\n');
        }

        if (options.Target == CompileTarget.Wasm32Wasi && !options.ObjectOnly)
        {
            // Linking pulls in wasi-libc: a new libc package means a new key.
            var libc = new FileInfo("/usr/lib/wasm32-wasi/libc.a");
            if (libc.Exists)
            {
                sb.Append("libc ").Append(libc.Length).Append(' ').Append(libc.LastWriteTimeUtc.Ticks).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Everything decided before compiling: inputs, key, where the output goes.</summary>
    private sealed record BuildPlan(string Compiler, string[] Sources, string OutputName, string Key, string Directory, string CommandLine)
    {
        public string OutputPath => System.IO.Path.Combine(Directory, OutputName);

        public BuildOutput Output(bool cacheHit, TimeSpan elapsed) => new(OutputPath, Key, cacheHit, CommandLine, elapsed);
    }
}
