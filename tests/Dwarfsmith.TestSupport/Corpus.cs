using Xunit;

namespace Dwarfsmith.TestSupport;

/// <summary>
/// The project's C corpus (corpus/*.c) as data for theories, and the SQLite build from ../shared.
/// </summary>
public static class Corpus
{
    /// <summary>SQLite's preprocessor flags for wasm32-wasi with Debian's wasi-libc (see ../shared/corpus/README.md).</summary>
    public static readonly IReadOnlyList<string> SqliteWasmFlags =
    [
        "-DSQLITE_OMIT_LOAD_EXTENSION", "-DSQLITE_THREADSAFE=0",
        "-D_WASI_EMULATED_SIGNAL", "-D_WASI_EMULATED_MMAN", "-D_WASI_EMULATED_GETPID",
    ];

    /// <summary>SQLite's link flags for wasm32-wasi.</summary>
    public static readonly IReadOnlyList<string> SqliteWasmLibraries =
        ["-lwasi-emulated-signal", "-lwasi-emulated-mman", "-lwasi-emulated-getpid"];

    private static readonly Lazy<IReadOnlyList<CorpusProgram>> s_programs = new(LoadPrograms);

    /// <summary>Every build variant: {-O0, -O2} × {DWARF 4, DWARF 5}.</summary>
    public static IReadOnlyList<(OptLevel Opt, int DwarfVersion)> AllVariants { get; } =
        [(OptLevel.O0, 4), (OptLevel.O0, 5), (OptLevel.O2, 4), (OptLevel.O2, 5)];

    /// <summary>
    /// The build variants the corpus theories run: all four with the long tests
    /// (<see cref="TestRun.Long"/>), else three: -O0 DWARF 5 is left out, as what it has that the
    /// others lack is nothing (no location lists at -O0; DWARF 5's forms and lists come with -O2 DWARF 5).
    /// </summary>
    public static IReadOnlyList<(OptLevel Opt, int DwarfVersion)> StandardVariants { get; } =
        TestRun.Long ? AllVariants : [(OptLevel.O0, 4), (OptLevel.O2, 4), (OptLevel.O2, 5)];

    /// <summary>All programs, ordered by name.</summary>
    public static IReadOnlyList<CorpusProgram> Programs => s_programs.Value;

    /// <summary>A program by name ("structs"); throws when there is none.</summary>
    public static CorpusProgram Get(string name) =>
        Programs.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"No corpus program {name} in {RepoPaths.Corpus} (have: {string.Join(", ", Programs)}).");

    /// <summary>MemberData: one row per program (name).</summary>
    public static TheoryData<string> ProgramNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var program in Programs)
            {
                data.Add(program.Name);
            }

            return data;
        }
    }

    /// <summary>MemberData: program × {-O0, -O2} × {DWARF 4, DWARF 5}, as (name, opt, dwarfVersion).</summary>
    public static TheoryData<string, OptLevel, int> ProgramVariants
    {
        get
        {
            var data = new TheoryData<string, OptLevel, int>();
            foreach (var program in Programs)
            {
                foreach (var (opt, dwarf) in StandardVariants)
                {
                    data.Add(program.Name, opt, dwarf);
                }
            }

            return data;
        }
    }

    /// <summary>The SQLite amalgamation folder: ../shared/corpus/sqlite.</summary>
    public static string SqliteDirectory => Path.Combine(RepoPaths.SharedCorpus, "sqlite");

    /// <summary>Our driver for SQLite: corpus/sqlite/sqlite_main.c.</summary>
    public static string SqliteMainSource => Path.Combine(RepoPaths.Corpus, "sqlite", "sqlite_main.c");

    /// <summary>
    /// SQLite plus our driver as a wasm32-wasi command module (default <c>-g -O1</c>, DWARF 4), cached.
    /// About 30–45 s the first time; concurrent callers (threads or processes) wait for one build.
    /// </summary>
    public static BuildOutput Sqlite(OptLevel opt = OptLevel.O1, int dwarfVersion = 4)
    {
        var sources = SqliteSources();
        var options = new CompileOptions
        {
            Target = CompileTarget.Wasm32Wasi,
            Opt = opt,
            DwarfVersion = dwarfVersion,
            Flags = [.. SqliteWasmFlags, "-I" + SqliteDirectory, .. SqliteWasmLibraries],
            DependencyFiles = [Path.Combine(SqliteDirectory, "sqlite3.h")],
            OutputName = "sqlite.wasm",
        };
        if (CCompiler.TryGetCached(sources, options, out var cached))
        {
            return cached;
        }

        // One SQLite build at a time across threads and processes, whatever the variant: each takes
        // a core and up to a gigabyte for half a minute. (CCompiler also locks per key.)
        using (FileLock.Acquire(Path.Combine(RepoPaths.CacheDirectory("build"), "sqlite.lock"), TimeSpan.FromMinutes(20)))
        {
            return CCompiler.Compile(sources, options);
        }
    }

    /// <summary>SQLite plus our driver for the host (clang-22), the oracle of its output. Cached.</summary>
    public static BuildOutput SqliteHost(OptLevel opt = OptLevel.O0, bool debugInfo = false) =>
        CCompiler.Compile(SqliteSources(), new CompileOptions
        {
            Target = CompileTarget.HostClang,
            Opt = opt,
            Flags = [.. SqliteWasmFlags.Take(2), "-I" + SqliteDirectory, .. debugInfo ? Array.Empty<string>() : ["-g0"]],
            DependencyFiles = [Path.Combine(SqliteDirectory, "sqlite3.h")],
            OutputName = "sqlite",
        });

    private static string[] SqliteSources()
    {
        var amalgamation = Path.Combine(SqliteDirectory, "sqlite3.c");
        if (!File.Exists(amalgamation))
        {
            throw new TestEnvironmentException($"The SQLite amalgamation is missing: {amalgamation}.");
        }

        return [amalgamation, SqliteMainSource];
    }

    private static CorpusProgram[] LoadPrograms()
    {
        var dir = RepoPaths.Corpus;
        if (!Directory.Exists(dir))
        {
            throw new TestEnvironmentException($"The corpus folder is missing: {dir}.");
        }

        return Directory.EnumerateFiles(dir, "*.c", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(CorpusProgram.Load)
            .ToArray();
    }
}
