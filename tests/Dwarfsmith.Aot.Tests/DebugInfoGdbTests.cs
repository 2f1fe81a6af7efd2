using System.Text.Json;
using System.Text.Json.Nodes;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// <c>aot -g</c> against the native build of the same C program (clang-22 -g), both under gdb: at
/// every <c>/* BREAK: */</c> label, the same backtrace (functions, files and lines, ending at main),
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
/// <item>locals declared at or after the stop's line have no value yet (the script records them so).</item>
/// </list>
/// </summary>
public sealed class DebugInfoGdbTests
{
    public static TheoryData<string, int> Programs
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var program in Corpus.Programs)
            {
                foreach (var version in new[] { 4, 5 })
                    data.Add(program.Name, version);
            }

            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void At_every_break_label_gdb_shows_what_it_shows_natively(string name, int dwarfVersion)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var (expected, actual, removed, source, _) = RunBoth(name, dwarfVersion, aotOptimization: 0);
        Assert.NotEmpty(expected);
        for (int i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            Assert.True(i < actual.Count, $"stop {i}: gdb stopped natively at\n{expected[i]}\nbut not in the AOT build");
            Assert.True(i < expected.Count, $"stop {i}: gdb stopped in the AOT build at\n{actual[i]}\nbut not natively");
            var (nativeStop, aotStop) = Comparable(expected[i], actual[i], removed, source);
            Assert.True(Normalized(nativeStop) == Normalized(aotStop), $"stop {i}:\nnative: {Normalized(nativeStop)}\naot -g: {Normalized(aotStop)}");
        }
    }

    /// <summary>
    /// gdb's stops at every break label of the corpus program <paramref name="name"/>: natively
    /// (clang-22 -O0 -g) and in the AOT build of its -O0 module with the C compiled at
    /// <paramref name="aotOptimization"/>; the module's variables the linker removed, and the source file's name.
    /// Above -O0, labels whose line the C compiler left no code of its own (gdb puts the breakpoint on
    /// a later line) are set in neither build and returned in <c>Moved</c> (label line → gdb's line).
    /// </summary>
    internal static (IReadOnlyList<string> Native, IReadOnlyList<string> Aot, HashSet<string> Removed, string Source, IReadOnlyList<string> Moved) RunBoth(
        string name, int dwarfVersion, int aotOptimization)
    {
        var program = Corpus.Get(name);
        // Both sides start their locals at zero: a local read before its first assignment (natively
        // stack garbage, in wasm what linear memory held) says nothing of the debug information.
        string[] zeroLocals = ["-ftrivial-auto-var-init=zero"];
        var wasm = program.Build(CompileOptions.Wasm(OptLevel.O0, dwarfVersion) with { Flags = zeroLocals }).Path;
        var executable = AotCompiler.CompileCached(WasmModule.ReadFile(wasm), Path.GetFileName(wasm),
            new AotOptions { OptimizationLevel = aotOptimization, DebugInfo = true }, RepoPaths.CacheDirectory("aot"));
        var native = program.Build(CompileOptions.Host(OptLevel.O0, dwarfVersion) with { Flags = zeroLocals }).Path;
        var source = Path.GetFileName(program.SourcePath);
        var lines = program.Breakpoints.Values.Order().Select(line => $"{source}:{line}").ToList();
        var moved = new List<string>();
        if (aotOptimization > 0)
        {
            var placed = GdbStops.BreakpointLines(executable, lines);
            moved.AddRange(lines.Where((line, i) => placed[i] != int.Parse(line[(line.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
                .Select(line => $"{line} → {placed[lines.IndexOf(line)]?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}"));
            lines = [.. lines.Where((_, i) => !moved.Any(m => m.StartsWith(lines[i] + " ", StringComparison.Ordinal)))];
        }

        var directory = program.NeedsWorkingDirectory ? RepoPaths.NewScratchDirectory(name) : null;
        try
        {
            var expected = GdbStops.Run([native, .. program.Args], lines, source, program.Environment, directory);
            List<string> runtimeOptions = directory is null ? [] : ["--dir", $"{directory}::."];
            foreach (var (variable, value) in program.Environment)
                runtimeOptions.AddRange(["--env", $"{variable}={value}"]);
            var actual = GdbStops.Run([executable, .. runtimeOptions, "--", .. program.Args], lines, source, null, directory);
            return (expected, actual, VariablesTheLinkerRemoved(wasm), source, moved);
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

    /// <summary>Both stops with the platforms' differences set aside (see the class's summary).</summary>
    internal static (JsonObject Native, JsonObject Aot) Comparable(string native, string aot, HashSet<string> removed, string source)
    {
        var nativeStop = JsonNode.Parse(native)!.AsObject();
        var aotStop = JsonNode.Parse(aot)!.AsObject();
        foreach (var stop in new[] { nativeStop, aotStop })
        {
            var frames = stop["frames"]!.AsArray();
            foreach (var frame in frames.Where(f => f!["file"]?.GetValue<string>() != source).ToList())
                frames.Remove(frame);
        }

        foreach (var stop in new[] { nativeStop, aotStop })
        {
            foreach (var (name, type) in stop["types"]!.AsObject().ToList())
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

        return (nativeStop, aotStop);
    }

    internal static string Normalized(JsonNode stop) =>
        stop.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
