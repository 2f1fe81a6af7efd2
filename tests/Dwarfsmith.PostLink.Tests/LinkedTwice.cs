using Dwarfsmith.TestSupport;

namespace Dwarfsmith.PostLink.Tests;

/// <summary>
/// The same object files linked twice by wasm-ld: as usual (padded relocations, DWARF: the input of
/// <c>compact</c>) and with <c>--compress-relocations --strip-debug</c> (the code <c>compact</c> must match).
/// </summary>
public sealed record LinkedTwice(string Module, string Compressed)
{
    private static readonly string[] s_compressFlags = ["-Wl,--compress-relocations,--strip-debug"];

    /// <summary>A corpus program compiled to an object, then linked both ways (all cached).</summary>
    public static LinkedTwice Program(CorpusProgram program, OptLevel opt, int dwarfVersion)
    {
        var compile = CompileOptions.Wasm(opt, dwarfVersion);
        var objectFile = program.Build(compile with { ObjectOnly = true }).Path;
        return Link([objectFile], compile, program.Name);
    }

    /// <summary>SQLite (-O1, DWARF 4, as <see cref="Corpus.Sqlite"/>): the amalgamation and our driver compiled to objects, linked both ways.</summary>
    public static LinkedTwice Sqlite()
    {
        var compile = new CompileOptions
        {
            Opt = OptLevel.O1,
            Flags = [.. Corpus.SqliteWasmFlags, "-I" + Corpus.SqliteDirectory],
            DependencyFiles = [Path.Combine(Corpus.SqliteDirectory, "sqlite3.h")],
            ObjectOnly = true,
        };
        string[] objects =
        [
            CCompiler.Compile(Path.Combine(Corpus.SqliteDirectory, "sqlite3.c"), compile).Path,
            CCompiler.Compile(Corpus.SqliteMainSource, compile).Path,
        ];
        return Link(objects, new CompileOptions { Opt = OptLevel.O1, Flags = Corpus.SqliteWasmLibraries }, "sqlite");
    }

    /// <summary>corpus/deadcode: its units compiled to objects, linked both ways (wasm-ld removes the functions nobody calls).</summary>
    public static LinkedTwice DeadCode(OptLevel opt, int dwarfVersion) =>
        Link([.. DeadCodeProgram.Objects(opt, dwarfVersion)], CompileOptions.Wasm(opt, dwarfVersion), "deadcode");

    private static LinkedTwice Link(string[] objects, CompileOptions options, string name)
    {
        var module = CCompiler.Compile(objects, options with { OutputName = name + ".wasm" }).Path;
        var compressed = CCompiler.Compile(objects, options with { OutputName = name + ".compressed.wasm", Flags = [.. options.Flags, .. s_compressFlags] }).Path;
        return new LinkedTwice(module, compressed);
    }
}
