using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dwarfsmith.Aot.NativeDwarf;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Aot;

/// <summary>How <see cref="AotCompiler"/> builds a native executable.</summary>
public sealed record AotOptions
{
    /// <summary>C optimization level 0–3. At 0 every wasm instruction is a steppable statement (WASM_STEPPABLE).</summary>
    public int OptimizationLevel { get; init; } = 2;

    /// <summary>The C compiler: "clang-22", "gcc", "clang", or a path.</summary>
    public string Compiler { get; init; } = "clang-22";

    /// <summary>When set, the translated C and the runtime sources are also written to this directory.</summary>
    public string? EmitCDirectory { get; init; }

    /// <summary>
    /// Into how many C files to split the module's functions, compiled in parallel (one compiler
    /// process per file, as many at once as there are processors). 1: one compiler run for everything.
    /// </summary>
    public int Parts { get; init; } = 1;

    /// <summary>How loads and stores stay inside linear memory (docs/ARCHITECTURE.md, "Memory").</summary>
    public BoundsChecks BoundsChecks { get; init; } = BoundsChecks.GuardPages;

    /// <summary>
    /// Where the runtime's compiled objects are kept between builds; null: the per-user cache
    /// (<c>$XDG_CACHE_HOME/dwarfsmith/runtime</c>), or none when that cannot be written.
    /// </summary>
    public string? RuntimeCacheDirectory { get; init; }

    /// <summary>
    /// A debug build (<c>aot -g</c>): the executable's DWARF describes the module's source program
    /// (the module's DWARF translated, see NativeDwarf/WasmToNativeVisitor) instead of the generated
    /// C; linear memory 0 is also mapped at host address == wasm address (<c>-DWASM_DEBUG_ALIAS</c>,
    /// docs/ARCHITECTURE.md, "Debug builds: the memory alias"), so that a debugger dereferences the
    /// program's 32-bit pointers where they point; and the executable carries a GNU build-id
    /// (<c>-Wl,--build-id</c>) by which debuggers find a separate debug file. Off, the generated C
    /// and the runtime are exactly those of a build without it.
    /// </summary>
    public bool DebugInfo { get; init; }

    /// <summary>
    /// With <see cref="DebugInfo"/>: the debug information goes to this separate ELF debug file
    /// instead, which gdb and lldb find through the executable's <c>.gnu_debuglink</c> (beside it or
    /// in its <c>.debug/</c> folder) and its build-id (<see cref="NativeDebugFiles"/>).
    /// </summary>
    public string? DebugFile { get; init; }

    /// <summary>
    /// The executable writes a WebAssembly core dump when the program traps (<c>-DWASM_COREDUMP</c>,
    /// Runtime/wasm_coredump.c): every frame with its locals' values, read through a frame table
    /// built from the native DWARF (<see cref="NativeFrameTable"/>). Translated functions are kept
    /// out of line and calls are not made into jumps (<c>-fno-optimize-sibling-calls</c>), so that
    /// every wasm frame is a native frame; the dump's path is the executable's
    /// <c>--coredump-on-trap FILE</c>, else <c>$DWARFSMITH_COREDUMP</c>, else
    /// <c>&lt;module&gt;.coredump</c> in the current directory.
    /// </summary>
    public bool CoreDumpOnTrap { get; init; }

    /// <summary>When given, <see cref="AotCompiler.Compile"/> records there where its time went.</summary>
    public AotPhaseTimes? PhaseTimes { get; init; }
}

/// <summary>How translated loads and stores stay inside linear memory.</summary>
public enum BoundsChecks
{
    /// <summary>
    /// No check in the code: an out-of-bounds access faults in the memory's reserved, inaccessible
    /// address space, and the runtime's fault handler reports the trap (code offset from the pc).
    /// </summary>
    GuardPages,

    /// <summary>
    /// A compare and branch before every access (<c>-DWASM_EXPLICIT_BOUNDS_CHECKS</c>): slower, but
    /// every trap is reported by the code itself, and no fault handler or address-space reservation
    /// is involved — for debugging the engine, or hosts that cannot reserve 8 GiB per memory.
    /// </summary>
    Explicit,
}

/// <summary>
/// WebAssembly → C → native: translates a module (<see cref="CTranslator"/>), compiles it with the
/// embedded runtime (<see cref="EmbeddedRuntime"/>) by the system C compiler, and links an executable
/// that runs the module's <c>_start</c> under WASI preview1.
/// </summary>
public static class AotCompiler
{
    /// <summary>Compiles <paramref name="module"/> into the executable <paramref name="outputPath"/> (written atomically).</summary>
    /// <param name="lineFileName">The file name for <c>#line</c> directives (the module's file name).</param>
    public static CTranslation Compile(WasmModule module, string lineFileName, string outputPath, AotOptions options)
    {
        if (options.OptimizationLevel is < 0 or > 3)
            throw new ArgumentOutOfRangeException(nameof(options), "optimization level must be 0 to 3");
        if (options.Parts < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "parts must be at least 1");
        var times = options.PhaseTimes ?? new AotPhaseTimes();
        CTranslation translation = null!;
        times.Translate = AotPhaseTimes.Time(() => translation = CTranslator.Translate(module, lineFileName, parts: options.Parts));
        var compiler = ResolveCompiler(options.Compiler);
        BuildExecutable(outputPath, (work, temporary) =>
        {
            var moduleSources = WriteSources(work, translation);
            if (options.EmitCDirectory is { } emit)
                WriteSources(Path.GetFullPath(emit), translation);
            var flags = CommonFlags(compiler, options.OptimizationLevel);
            flags.Add("-g");
            if (options.OptimizationLevel == 0)
                flags.Add("-DWASM_STEPPABLE");
            if (options.BoundsChecks == BoundsChecks.Explicit)
                flags.Add("-DWASM_EXPLICIT_BOUNDS_CHECKS");
            if (options.DebugInfo)
                flags.AddRange(["-DWASM_DEBUG_ALIAS", "-DWASM_OUT_OF_LINE"]);
            if (options.CoreDumpOnTrap)
                flags.AddRange(options.DebugInfo ? ["-DWASM_COREDUMP", "-fno-optimize-sibling-calls"] : ["-DWASM_COREDUMP", "-DWASM_OUT_OF_LINE", "-fno-optimize-sibling-calls"]);
            string[] runtimeSources = [.. RuntimeSources, .. options.DebugInfo ? [DebugRuntimeSource] : Array.Empty<string>(),
                .. options.CoreDumpOnTrap ? CoreDumpRuntimeSources : []];
            var runtime = RuntimeObjects.Get(compiler, flags, runtimeSources, RuntimeCache(options.RuntimeCacheDirectory, work));
            flags.AddRange(["-I", work]);
            List<string> linkFlags = options.DebugInfo ? ["-Wl,--build-id", "-lm", "-lpthread"] : ["-lm", "-lpthread"];
            var compileClock = System.Diagnostics.Stopwatch.StartNew();
            if (options.Parts == 1)
            {
                CheckCompiler(compiler, Run(compiler, [.. flags, .. moduleSources, .. runtime, "-o", temporary, .. linkFlags]));
            }
            else
            {
                // One compiler process per file, then one link.
                var objects = moduleSources.Select(source => source + ".o").ToList();
                var results = new (int ExitCode, string Output)[moduleSources.Count];
                Parallel.For(0, moduleSources.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                    i => results[i] = Run(compiler, [.. flags, "-c", moduleSources[i], "-o", objects[i]]));
                foreach (var result in results)
                    CheckCompiler(compiler, result);
                CheckCompiler(compiler, Run(compiler, [.. objects, .. runtime, "-o", temporary, .. linkFlags]));
            }
            times.CCompile = compileClock.Elapsed;
            if (options.DebugInfo)
            {
                var generatedFiles = moduleSources.Select(Path.GetFileName).ToList();
                NativeDebugInfo debugInfo = null!;
                times.DebugInfoTransform = AotPhaseTimes.Time(() =>
                    debugInfo = NativeDebugInfo.Build(module, File.ReadAllBytes(temporary), lineFileName, generatedFiles!,
                        options.CoreDumpOnTrap ? translation : null));
                times.DebugInfoAttach = AotPhaseTimes.Time(() =>
                {
                    debugInfo.Attach(temporary, ResolveObjcopy(compiler));
                    if (options.DebugFile is { } debugFile)
                        NativeDebugFiles.WriteWithDebugFile(temporary, debugInfo.Sections, temporary, Path.GetFullPath(debugFile), ResolveObjcopy(compiler));
                });
            }
            else if (options.BoundsChecks == BoundsChecks.GuardPages || options.CoreDumpOnTrap)
            {
                RuntimeTables.Attach(temporary, module, translation, moduleSources.Select(Path.GetFileName).ToList()!, options.CoreDumpOnTrap, ResolveObjcopy(compiler));
            }
        });
        return translation;
    }

    /// <summary>The runtime's C files that every executable links (the headers are included).</summary>
    internal static readonly string[] RuntimeSources = ["wasm_rt.c", "wasm_guard.c", "wasm_code_map.c", "wasm_self_elf.c", "wasi.c"];

    /// <summary>The runtime files that executables writing core dumps (<see cref="AotOptions.CoreDumpOnTrap"/>) link as well.</summary>
    internal static readonly string[] CoreDumpRuntimeSources = ["wasm_coredump.c", "wasm_coredump_frames.c"];

    /// <summary>The runtime file that debug builds (<see cref="AotOptions.DebugInfo"/>) link as well: the memory alias.</summary>
    internal const string DebugRuntimeSource = "wasm_alias.c";

    /// <summary>The runtime object cache to use: the one asked for, else the per-user one, else (unwritable) a folder of this build's.</summary>
    internal static string RuntimeCache(string? requested, string work)
    {
        var directory = requested ?? RuntimeObjects.DefaultCacheDirectory;
        try
        {
            Directory.CreateDirectory(directory);
            return directory;
        }
        catch (Exception e) when (requested is null && e is IOException or UnauthorizedAccessException)
        {
            return Path.Combine(work, "runtime");
        }
    }

    /// <summary>An objcopy for the compiler's executables: llvm-objcopy beside clang, else objcopy or llvm-objcopy on PATH.</summary>
    internal static string ResolveObjcopy(string compiler)
    {
        var sibling = Path.Combine(Path.GetDirectoryName(compiler) ?? "", "llvm-objcopy");
        if (Path.GetFileName(compiler).Contains("clang", StringComparison.Ordinal) && File.Exists(sibling))
            return sibling;
        return FindObjcopy()
            ?? throw new AotException("objcopy not found: it attaches the code offset table that guard-page traps need (install binutils, or use explicit bounds checks)");
    }

    /// <summary>objcopy or llvm-objcopy on PATH, or null.</summary>
    internal static string? FindObjcopy() => FindOnPath("objcopy") ?? FindOnPath("llvm-objcopy") ?? FindOnPath("llvm-objcopy-22");

    /// <summary>
    /// The C flags every build of translated code uses: wasm's float semantics (no contraction, and
    /// signaling NaNs respected, so that x*1.0 or x-0.0 is not folded to x: wasm quiets the NaN), no
    /// strict aliasing, no warnings.
    /// </summary>
    internal static List<string> CommonFlags(string compiler, int optimizationLevel) =>
    [
        $"-O{optimizationLevel}", "-w", "-std=gnu11",
        "-ffp-contract=off", "-fno-math-errno", "-fno-strict-aliasing",
        Path.GetFileName(compiler).Contains("gcc", StringComparison.Ordinal) ? "-fsignaling-nans" : "-ffp-exception-behavior=maytrap",
    ];

    /// <summary>
    /// Runs <paramref name="build"/> in a temporary folder (it gets the folder and the path to link
    /// to), then renames the executable into <paramref name="outputPath"/>: never a half-written file.
    /// </summary>
    internal static void BuildExecutable(string outputPath, Action<string, string> build)
    {
        var work = Directory.CreateTempSubdirectory("dwarfsmith-aot-");
        try
        {
            var temporary = Path.Combine(work.FullName, "a.out");
            build(work.FullName, temporary);
            PlaceAtomically(temporary, outputPath);
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="file"/> (from a temporary folder, maybe on another file system) beside
    /// <paramref name="outputPath"/>, then renames it into place: the output is whole or absent.
    /// </summary>
    internal static void PlaceAtomically(string file, string outputPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(directory);
        var staged = Path.Combine(directory, $".{Path.GetFileName(outputPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.Copy(file, staged, overwrite: true);
            File.Move(staged, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(staged);
        }
    }

    /// <summary>
    /// The path of a cached executable for the module and options, compiling it on a miss. The key
    /// covers the module bytes, the options, the compiler's version and this translator's build.
    /// </summary>
    public static string CompileCached(WasmModule module, string lineFileName, AotOptions options, string cacheDirectory)
    {
        var compiler = ResolveCompiler(options.Compiler);
        var key = new StringBuilder()
            .Append(Convert.ToHexString(SHA256.HashData(module.Bytes.Span)))
            .Append('|').Append(lineFileName)
            .Append('|').Append(options.OptimizationLevel)
            .Append('|').Append(options.Parts)
            .Append('|').Append(options.BoundsChecks)
            .Append(options.DebugInfo ? "|debug" : "")
            .Append(options.CoreDumpOnTrap ? "|coredump" : "")
            .Append('|').Append(compiler).Append('|').Append(CompilerVersion(compiler))
            .Append('|').Append(typeof(AotCompiler).Assembly.ManifestModule.ModuleVersionId)
            .ToString();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24].ToLowerInvariant();
        var path = Path.Combine(cacheDirectory, hash, Path.GetFileNameWithoutExtension(lineFileName));
        if (!File.Exists(path))
            Compile(module, lineFileName, path, options with { EmitCDirectory = null, RuntimeCacheDirectory = options.RuntimeCacheDirectory ?? Path.Combine(cacheDirectory, "runtime") });
        return path;
    }

    /// <summary>Finds a compiler by name: clang-22 on PATH or in /usr/lib/llvm-22/bin, gcc, or a path.</summary>
    public static string ResolveCompiler(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
            return File.Exists(name) ? name : throw new AotException($"C compiler {name} not found");
        if (FindOnPath(name) is { } found)
            return found;
        if (name.StartsWith("clang-", StringComparison.Ordinal))
        {
            var llvm = $"/usr/lib/llvm-{name["clang-".Length..]}/bin/clang";
            if (File.Exists(llvm))
                return llvm;
        }
        throw new AotException($"C compiler {name} not found (install it, or choose another with --cc)");
    }

    internal static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    internal static void CheckCompiler(string compiler, (int ExitCode, string Output) result)
    {
        if (result.ExitCode != 0)
            throw new AotException($"{compiler} failed (exit {result.ExitCode}):\n{Truncate(result.Output, 4000)}") { IsCompilerFailure = true };
    }

    /// <summary>Writes the runtime and the module's C (<c>name.c</c>, then <c>name.part1.c</c> … when split); returns the module's files.</summary>
    private static List<string> WriteSources(string directory, CTranslation translation)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, text) in EmbeddedRuntime.Files)
            File.WriteAllText(Path.Combine(directory, name), text);
        var stem = Path.GetFileNameWithoutExtension(translation.LineFileName);
        var files = new List<string>();
        for (var i = 0; i < translation.Parts.Count; i++)
        {
            var path = Path.Combine(directory, i == 0 ? stem + ".c" : $"{stem}.part{i}.c");
            File.WriteAllText(path, translation.Parts[i]);
            files.Add(path);
        }
        return files;
    }

    /// <summary>The first line of <c>compiler --version</c>, asked once per process.</summary>
    internal static string CompilerVersion(string compiler) =>
        s_compilerVersions.GetOrAdd(compiler, path => Run(path, ["--version"], captureStandardOutput: true).Output.Split('\n')[0]);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> s_compilerVersions = new(StringComparer.Ordinal);

    internal static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, bool captureStandardOutput = false)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new AotException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, captureStandardOutput ? stdout.Result : stderr.Result + stdout.Result);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "\n…";
}

/// <summary>The C runtime embedded in this assembly: wasm_rt.h, wasm_rt.c (memory, tables, traps, main) and wasi.c.</summary>
public static class EmbeddedRuntime
{
    private static readonly Lazy<IReadOnlyList<(string Name, string Text)>> s_files = new(Load);

    public static IReadOnlyList<(string Name, string Text)> Files => s_files.Value;

    private static List<(string Name, string Text)> Load()
    {
        var assembly = typeof(EmbeddedRuntime).Assembly;
        var files = new List<(string Name, string Text)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Runtime/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            files.Add((name["Runtime/".Length..], reader.ReadToEnd()));
        }
        return files;
    }
}
