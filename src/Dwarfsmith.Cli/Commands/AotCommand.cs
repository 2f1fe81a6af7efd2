using System.CommandLine;
using Dwarfsmith.Aot;

namespace Dwarfsmith.Cli.Commands;

/// <summary><c>dwarfsmith aot MODULE -o EXE [-O0|-O1|-O2|-O3] [--cc clang-22|gcc] [--emit-c DIR] [--parts N] [--bounds-checks guard-pages|explicit]</c>.</summary>
public static class AotCommand
{
    public static Command Create(CliConsole console)
    {
        var module = new Argument<string>("module") { Description = "The .wasm file (a WASI command module)" };
        var output = new Option<string>("--output", "-o") { Description = "The native executable to write", Required = true };
        var levels = OptimizationOptions.Create();
        var cc = OptimizationOptions.CompilerOption();
        var emitC = new Option<string?>("--emit-c") { Description = "Also write the translated C and the runtime sources to this directory" };
        var parts = new Option<int>("--parts") { Description = "Split the C into this many files compiled in parallel (default 1)", DefaultValueFactory = _ => 1 };
        var boundsChecks = OptimizationOptions.BoundsChecksOption();
        var debug = OptimizationOptions.DebugOption();
        var debugFile = new Option<string?>("--debug-file")
        {
            Description = "With -g: write the debug information to this separate ELF file, found by gdb and lldb through .gnu_debuglink and the build-id",
        };
        var coreDumps = new Option<bool>("--coredump-on-trap")
        {
            Description = "The executable writes a wasm core dump when the program traps: to its own --coredump-on-trap FILE, "
                + "else $DWARFSMITH_COREDUMP, else <module>.coredump in the current directory",
        };
        var command = new Command("aot", "Compile a WebAssembly module ahead of time to a native executable (wasm → C → native, WASI preview1)") { module, output, cc, emitC, parts, boundsChecks, debug, debugFile, coreDumps };
        foreach (var level in levels)
            command.Options.Add(level);
        command.SetAction(parse => console.Guard(() =>
        {
            var path = parse.GetValue(module)!;
            var options = new AotOptions
            {
                OptimizationLevel = OptimizationOptions.Level(parse, levels),
                Compiler = parse.GetValue(cc)!,
                EmitCDirectory = parse.GetValue(emitC),
                Parts = parse.GetValue(parts) is var n and >= 1 ? n : throw new UsageException("--parts must be at least 1"),
                BoundsChecks = OptimizationOptions.BoundsChecks(parse, boundsChecks),
                DebugInfo = parse.GetValue(debug) || parse.GetValue(debugFile) is not null,
                DebugFile = parse.GetValue(debugFile),
                CoreDumpOnTrap = parse.GetValue(coreDumps),
            };
            var wasm = CliConsole.ReadModule(path);
            return OptimizationOptions.GuardAot(console, path, () =>
            {
                CliConsole.WithPath(path, () => AotCompiler.Compile(wasm, Path.GetFileName(path), parse.GetValue(output)!, options));
                return ExitCodes.Ok;
            });
        }));
        return command;
    }
}

/// <summary>Options shared by <c>aot</c> and <c>run</c>.</summary>
internal static class OptimizationOptions
{
    public static Option<bool>[] Create() =>
    [
        new Option<bool>("-O0") { Description = "No C optimization; every wasm instruction is a steppable statement" },
        new Option<bool>("-O1") { Description = "C optimization level 1" },
        new Option<bool>("-O2") { Description = "C optimization level 2 (default)" },
        new Option<bool>("-O3") { Description = "C optimization level 3" },
    ];

    public static Option<bool> DebugOption() => new("-g")
    {
        Description = "Debug information for gdb and lldb: the module's DWARF translated, so that they debug the source program, not the generated C",
    };

    public static Option<string> CompilerOption() => new("--cc")
    {
        Description = "The C compiler: clang-22 (default), gcc, or a path",
        DefaultValueFactory = _ => "clang-22",
    };

    public static Option<string> BoundsChecksOption() => new("--bounds-checks")
    {
        Description = "How memory accesses stay in bounds: guard-pages (default: no check in the code, a fault becomes the trap) or explicit (a check before every access, for debugging)",
        DefaultValueFactory = _ => "guard-pages",
    };

    public static BoundsChecks BoundsChecks(ParseResult parse, Option<string> option) => parse.GetValue(option) switch
    {
        "guard-pages" => Aot.BoundsChecks.GuardPages,
        "explicit" => Aot.BoundsChecks.Explicit,
        var other => throw new UsageException($"--bounds-checks must be guard-pages or explicit, not {other}"),
    };

    public static int Level(ParseResult parse, Option<bool>[] levels)
    {
        var chosen = Enumerable.Range(0, levels.Length).Where(i => parse.GetValue(levels[i])).ToList();
        if (chosen.Count > 1)
            throw new UsageException("give at most one of -O0, -O1, -O2, -O3");
        return chosen.Count == 1 ? chosen[0] : 2;
    }

    /// <summary>Reports an <see cref="AotException"/>: 65 when the module cannot be compiled, 70 when the C compiler failed.</summary>
    public static int GuardAot(CliConsole console, string path, Func<int> work)
    {
        try
        {
            return work();
        }
        catch (AotException ex)
        {
            console.Error.WriteLine($"dwarfsmith: {path}: {ex.Message}");
            return ex.IsCompilerFailure ? ExitCodes.InternalError : ExitCodes.MalformedInput;
        }
    }
}
