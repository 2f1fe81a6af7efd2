using System.Text.Json;
using System.Text.Json.Nodes;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Runs a corpus program's <c>aot -g</c> build and its native build (clang-22 -g, both at -O0) under
/// gdb and compares what gdb shows: at every <c>/* BREAK: */</c> label (and at every stop of the
/// stepping commands run from each label's first hit) the same backtrace (functions, files and lines, ending at main),
/// the same arguments, locals and statics with equal values (pointers by null-ness, and what they
/// point to), the same globals of the program's file. Differences of the two platforms, not of the
/// debug information, are set aside by rules, each stated where it is applied:
/// <list type="bullet">
/// <item>a variable wasm-ld removed (its location in the module is the tombstone, e.g. a constant
/// pointer it folded into its uses) is optimized out in the AOT build and may have a value natively;</item>
/// <item>frames in the C library (glibc natively, wasi-libc in wasm: other functions, other files)
/// are left out of the backtraces, which are compared on the program's own frames;</item>
/// <item>va_list, which the two targets define differently (an array of a struct on x86-64, which a
/// parameter declared va_list decays from; in wasm32 a pointer, null when no variadic argument was
/// passed), is compared by name, not by type or value;</item>
/// <item>locals declared at or after the stop's line have no value yet (the script records them so);</item>
/// <item>stepping treats the C library as code without line information (Debugger/gdb_stops.py says
/// how): its lines are not the program's, and whether glibc's are installed varies by machine;</item>
/// <item>a step or next does not stop on a line the module's line table has no row for (natively a
/// row of its own at a loop body's closing brace, whose jump the wasm code generator removed: the
/// body falls through); it goes on as it would if the native row were not there.</item>
/// </list>
/// </summary>
internal static class GdbDifferential
{
    /// <summary>MemberData: every corpus program × DWARF 4 and 5.</summary>
    public static TheoryData<string, int> ProgramsAndDwarfVersions()
    {
        var data = new TheoryData<string, int>();
        foreach (var program in Corpus.Programs)
        {
            foreach (var version in new[] { 4, 5 })
                data.Add(program.Name, version);
        }

        return data;
    }

    /// <param name="steps">gdb commands (step, next, finish) run from each label's first hit.</param>
    public static void AssertSameStops(string name, int dwarfVersion, IReadOnlyList<string> steps)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var program = Corpus.Get(name);
        // Both sides start their locals at zero: a local read before its first assignment (natively
        // stack garbage, in wasm what linear memory held) says nothing of the debug information.
        string[] zeroLocals = ["-ftrivial-auto-var-init=zero"];
        var wasm = program.Build(CompileOptions.Wasm(OptLevel.O0, dwarfVersion) with { Flags = zeroLocals }).Path;
        var executable = AotCompiler.CompileCached(WasmModule.ReadFile(wasm), Path.GetFileName(wasm),
            new AotOptions { OptimizationLevel = 0, DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
        var native = program.Build(CompileOptions.Host(OptLevel.O0, dwarfVersion) with { Flags = zeroLocals }).Path;
        var source = Path.GetFileName(program.SourcePath);
        var lines = program.Breakpoints.Values.Order().Select(line => $"{source}:{line}").ToList();

        var directory = program.NeedsWorkingDirectory ? RepoPaths.NewScratchDirectory(name) : null;
        try
        {
            // Steps stop only on lines the module's line table has: natively also where the wasm code
            // generator removed the instruction that carried a line (the jump back at a loop body's
            // closing brace, which falls through in wasm), where no wasm engine can stop.
            var stepLines = LinesInTheModule(wasm, source);
            var expected = GdbStops.Run([native, .. program.Args], lines, source, steps, stepLines, program.Environment, directory);
            List<string> runtimeOptions = directory is null ? [] : ["--dir", $"{directory}::."];
            foreach (var (variable, value) in program.Environment)
                runtimeOptions.AddRange(["--env", $"{variable}={value}"]);
            var actual = GdbStops.Run([executable, .. runtimeOptions, "--", .. program.Args], lines, source, steps, stepLines, null, directory);

            Assert.NotEmpty(expected);
            var removed = VariablesTheLinkerRemoved(wasm);
            for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
            {
                Assert.True(i < actual.Count, $"stop {i}: gdb stopped natively at\n{expected[i]}\nbut not in the AOT build");
                Assert.True(i < expected.Count, $"stop {i}: gdb stopped in the AOT build at\n{actual[i]}\nbut not natively");
                var (nativeStop, aotStop) = Comparable(expected[i], actual[i], removed, source);
                Assert.True(nativeStop == aotStop, $"stop {i}:\nnative: {nativeStop}\naot -g: {aotStop}");
            }
        }
        finally
        {
            if (directory is not null)
                Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Names of the module's variables located at a tombstone address (data wasm-ld removed).</summary>
    private static HashSet<string> VariablesTheLinkerRemoved(string wasm)
    {
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var context = new Dwarf.Reading.DwarfContext(Tools.DwarfContainers.FromWasm(WasmModule.ReadFile(wasm)));
        foreach (var unit in context.Units)
        {
            var cursor = unit.Entries();
            while (cursor.MoveNext())
            {
                if (cursor.IsNull || cursor.Tag != Dwarf.DwTag.DW_TAG_variable
                    || !cursor.TryGetAttribute(Dwarf.DwAt.DW_AT_name, out var name)
                    || !cursor.TryGetAttribute(Dwarf.DwAt.DW_AT_location, out var location) || !location.IsBlock)
                {
                    continue;
                }

                var operations = Dwarf.Expressions.DwarfExpression.DecodeAll(location.Memory, unit.Encoding);
                if (operations is [{ Op: Dwarf.DwOp.DW_OP_addr or Dwarf.DwOp.DW_OP_addrx } only]
                    && unit.IsTombstone(only.Op == Dwarf.DwOp.DW_OP_addr ? only.Operand1 : unit.AddressAt(only.Operand1)))
                {
                    removed.Add(unit.GetString(name)!);
                }
            }
        }

        return removed;
    }

    /// <summary>The lines of <paramref name="source"/> that rows of the module's line tables have.</summary>
    private static HashSet<int> LinesInTheModule(string wasm, string source)
    {
        var lines = new HashSet<int>();
        var context = new Dwarf.Reading.DwarfContext(Tools.DwarfContainers.FromWasm(WasmModule.ReadFile(wasm)));
        foreach (var unit in context.Units)
        {
            if (unit.ReadLineProgram() is not { } program)
                continue;
            foreach (var row in program.ReadRows())
            {
                // DWARF 5 numbers files from 0, earlier versions from 1.
                long file = program.Version >= 5 ? (long)row.File : (long)row.File - 1;
                if (!row.EndSequence && file >= 0 && file < program.Files.Count && Path.GetFileName(program.Files[(int)file].Path) == source)
                    lines.Add((int)row.Line);
            }
        }

        return lines;
    }

    /// <summary>Both stops with the platforms' differences set aside (see the class's summary), as comparable text.</summary>
    private static (string Native, string Aot) Comparable(string native, string aot, HashSet<string> removed, string source)
    {
        var nativeStop = JsonNode.Parse(native)!.AsObject();
        var aotStop = JsonNode.Parse(aot)!.AsObject();

        foreach (var stop in new[] { nativeStop, aotStop })
        {
            if (stop["frames"] is not JsonArray frames)
                continue; // the program exited
            foreach (var frame in frames.Where(f => f!["file"]?.GetValue<string>() != source).ToList())
                frames.Remove(frame);
        }

        foreach (var stop in new[] { nativeStop, aotStop })
        {
            if (stop["types"] is not JsonObject types)
                continue;
            foreach (var (name, type) in types.ToList())
            {
                if (type!.GetValue<string>().Contains("va_list", StringComparison.Ordinal))
                {
                    stop["types"]![name] = "va_list";
                    stop["variables"]![name] = "<va_list>";
                }
            }
        }

        foreach (var scope in new[] { "variables", "globals" })
        {
            if (nativeStop[scope] is not JsonObject nativeScope || aotStop[scope] is not JsonObject aotScope)
                continue;
            foreach (var name in removed)
            {
                if (nativeScope.ContainsKey(name) && aotScope[name]?.GetValue<string>() == "<optimized out>")
                    nativeScope[name] = "<optimized out>";
            }
        }

        return (Normalized(nativeStop), Normalized(aotStop));
    }

    private static string Normalized(JsonNode stop) =>
        stop.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

}
