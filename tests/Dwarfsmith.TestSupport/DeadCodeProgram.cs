namespace Dwarfsmith.TestSupport;

/// <summary>
/// corpus/deadcode: a program of five units, each with functions nobody calls (and one, unused_only.c,
/// with nothing called at all), which wasm-ld's garbage collection removes: its DWARF then holds the
/// linker's tombstones for dead code in several units and in every list kind. Builds are cached.
/// </summary>
public static class DeadCodeProgram
{
    /// <summary>The program's folder.</summary>
    public static string Directory => Path.Combine(RepoPaths.Corpus, "deadcode");

    /// <summary>Its C files, main first.</summary>
    public static IReadOnlyList<string> Sources { get; } =
        [.. new[] { "main.c", "shapes.c", "text.c", "numbers.c", "unused_only.c" }.Select(name => Path.Combine(Directory, name))];

    /// <summary>What the program prints (each run must print it).</summary>
    public const string ExpectedOutput = "perimeter 12\nchecksum 320441540\ncollatz 111\n";

    /// <summary>The compile options of one variant; <c>--gc-sections</c> is wasm-ld's default, spelled out as what the program is about.</summary>
    public static CompileOptions Options(OptLevel opt, int dwarfVersion) => CompileOptions.Wasm(opt, dwarfVersion) with
    {
        Flags = ["-Wl,--gc-sections"],
        DependencyFiles = [Path.Combine(Directory, "deadcode.h")],
        OutputName = "deadcode.wasm",
    };

    /// <summary>The linked module.</summary>
    public static BuildOutput Build(OptLevel opt, int dwarfVersion) => CCompiler.Compile(Sources, Options(opt, dwarfVersion));

    /// <summary>Each unit compiled to an object file, for links of one's own.</summary>
    public static IReadOnlyList<string> Objects(OptLevel opt, int dwarfVersion)
    {
        var options = CompileOptions.Wasm(opt, dwarfVersion) with { ObjectOnly = true, DependencyFiles = [Path.Combine(Directory, "deadcode.h")] };
        return [.. Sources.Select(source => CCompiler.Compile(source, options).Path)];
    }
}
