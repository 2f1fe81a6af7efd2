using System.Text.Json;
using System.Text.RegularExpressions;
using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// The core dump an <c>aot --coredump-on-trap</c> executable writes when its program traps
/// (corpus/traps), read back at the source level by Dwarfsmith's reader, against gdb on a real core
/// dump of the native build of the same C program (clang-22, same -O, the trap made a signal: the
/// division and the stores fault, assert aborts, the indirect call of the wrong type traps through
/// -fsanitize=function). The backtrace's frames in the program's own file must be the same
/// functions at the same lines; at -O0 every variable gdb shows must have the same value in the
/// dump, at -O2 no value both show may differ. Both sides are built with
/// <c>-ftrivial-auto-var-init=zero</c>, so that a local not yet assigned at the trap is 0 on both
/// rather than whatever each stack held. Pointers are compared as null or not (a wasm address is not
/// a native one); what they point to, where printed (strings, functions), is compared.
/// </summary>
public sealed class CoreDumpTrapTests
{
    private static readonly string TrapsFolder = Path.Combine(RepoPaths.Root, "corpus", "traps");

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Debugger", "gdb_core_frames.py");

    /// <summary>The exit status of a program that trapped.</summary>
    private const int TrapStatus = 134;

    /// <summary>
    /// How deep recursion goes before it traps is the engine's limit (wasm's own 64 KiB shadow
    /// stack here, the native stack there), not the program's: only the youngest frames are compared,
    /// not their values, which depend on the depth, and the youngest only by its function: which
    /// instruction overflows first is the engine's too (wasm's store of a local to its shadow stack,
    /// the native call's push of its return address).
    /// </summary>
    private const int RecursionFramesCompared = 5;

    public static TheoryData<string, OptLevel> Programs()
    {
        var data = new TheoryData<string, OptLevel>();
        foreach (var file in Directory.GetFiles(TrapsFolder, "*.c").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file), OptLevel.O0);
            data.Add(Path.GetFileNameWithoutExtension(file), OptLevel.O2);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void The_dump_shows_what_gdb_shows_of_the_native_core_dump(string name, OptLevel opt)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var source = Path.Combine(TrapsFolder, name + ".c");
        var (module, dump) = WriteDump(source, opt);
        var report = CoreDumpSession.Open(dump, module).Report();
        var gdbFrames = NativeCoreFrames(source, opt);

        bool recursion = name == "recursion";
        var ours = report.Frames.Where(f => f.File == Path.GetFullPath(source)).ToList();
        int compared = recursion ? RecursionFramesCompared : Math.Max(ours.Count, gdbFrames.Count);
        Assert.True(ours.Count > 0 && gdbFrames.Count > 0, $"no frames in {name}.c: ours {ours.Count}, gdb's {gdbFrames.Count}");
        Assert.Equal(
            gdbFrames.Take(compared).Select((f, i) => Describe(f.Function, (ulong)f.Line, f.Inlined, recursion && i == 0)),
            ours.Take(compared).Select((f, i) => Describe(f.Function, f.Line, f.Inlined, recursion && i == 0)));
        if (recursion)
            return;

        var differences = new List<string>();
        int shownByGdb = 0, shownByBoth = 0;
        for (int i = 0; i < ours.Count; i++)
        {
            var values = ours[i].Variables.GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First());
            foreach (var (variable, gdbValue) in gdbFrames[i].Variables)
            {
                // A value gdb shows only in part (a member optimized out) says nothing of the rest's
                // place in the optimized build: compared as not shown.
                bool gdbShows = !gdbValue.StartsWith('<') && !gdbValue.Contains("<optimized out>", StringComparison.Ordinal);
                shownByGdb += gdbShows ? 1 : 0;
                values.TryGetValue(variable, out var our);
                if (our?.Value is null)
                {
                    if (gdbShows && opt == OptLevel.O0)
                        differences.Add($"#{i} {ours[i].Function}: {variable} = {gdbValue} natively, {(our is null ? "absent" : "unavailable: " + our.Unavailable)} in the dump");
                    continue;
                }

                if (!gdbShows)
                    continue;
                shownByBoth++;
                if (!SameWhereBothShow(Normalized(our.Value), Normalized(gdbValue)))
                    differences.Add($"#{i} {ours[i].Function}: {variable} = {gdbValue} natively, {our.Value} in the dump");
            }
        }

        Assert.True(differences.Count == 0, $"{name}.c -{opt}:\n{string.Join("\n", differences)}");
        if (opt == OptLevel.O0)
            Assert.True(shownByGdb > 0 && shownByBoth == shownByGdb, $"gdb showed {shownByGdb} values, the dump {shownByBoth} of them");
    }

    /// <summary>
    /// Every dump the runtime writes is a valid wasm module to wabt, and reads back with every frame's
    /// locals complete at -O0 (the translated functions keep them all in memory there).
    /// </summary>
    [Theory]
    [MemberData(nameof(Programs))]
    public void The_dump_is_a_valid_module_with_each_frames_locals(string name, OptLevel opt)
    {
        var (module, dump) = WriteDump(Path.Combine(TrapsFolder, name + ".c"), opt);
        var path = Path.Combine(Directory.CreateTempSubdirectory("dwarfsmith-core-").FullName, name + ".coredump");
        File.WriteAllBytes(path, dump);
        var validate = ProcessRunner.Run(Toolchain.WasmValidate, [path]);
        Assert.True(validate.ExitCode == 0, validate.StandardError);

        var parsed = Wasm.CoreDumps.CoreDumpReader.Read(dump);
        var frames = Assert.Single(parsed.Threads).Frames;
        Assert.NotEmpty(frames);
        foreach (var frame in frames)
        {
            Assert.True(module.TryGetBody(frame.FunctionIndex, out var body), $"frame of function {frame.FunctionIndex}, which has no body");
            Assert.True(module.TryGetFunctionType(frame.FunctionIndex, out var type));
            Assert.Equal((ulong)type.Parameters.Length + body.LocalCount, (ulong)frame.Locals.Count);
            Assert.True(frame.CodeOffset < (uint)body.Size, $"code offset 0x{frame.CodeOffset:x} past the body of function {frame.FunctionIndex}");
            if (opt == OptLevel.O0)
                Assert.DoesNotContain(frame.Locals, l => l.IsMissing);
        }

        Assert.Equal(Path.GetFileName(name + ".wasm"), parsed.ExecutableName);
        Assert.NotEmpty(parsed.Memories);
    }

    /// <summary>Builds the wasm module and its <c>aot --coredump-on-trap</c> executable, runs it to its trap, and returns the dump.</summary>
    private static (WasmModule Module, byte[] Dump) WriteDump(string source, OptLevel opt)
    {
        var wasm = CCompiler.Compile(source, CompileOptions.Wasm(opt) with { Flags = ["-ftrivial-auto-var-init=zero"] }).Path;
        var module = WasmModule.ReadFile(wasm);
        var executable = AotCompiler.CompileCached(module, Path.GetFileName(wasm),
            new AotOptions { OptimizationLevel = opt == OptLevel.O0 ? 0 : 2, CoreDumpOnTrap = true }, RepoPaths.CacheDirectory("aot"));
        var folder = Directory.CreateTempSubdirectory("dwarfsmith-core-").FullName;
        var dumpPath = Path.Combine(folder, "trap.coredump");
        var run = ProcessRunner.Run(executable, ["--coredump-on-trap", dumpPath], new ProcessOptions { WorkingDirectory = folder, Timeout = TimeSpan.FromSeconds(60) });
        Assert.True(run.ExitCode == TrapStatus, $"exit {run.ExitCode}\n{run.StandardError}");
        Assert.Contains("wasm trap: ", run.StandardError, StringComparison.Ordinal);
        Assert.Contains($"wasm core dump written to {dumpPath}\n", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        return (module, File.ReadAllBytes(dumpPath));
    }

    private sealed record GdbFrame(string Function, int Line, bool Inlined, Dictionary<string, string> Variables);

    /// <summary>The native build run under gdb to its signal, a core dump made there (gcore), and that dump read by a second gdb.</summary>
    private static List<GdbFrame> NativeCoreFrames(string source, OptLevel opt)
    {
        List<string> flags = ["-ftrivial-auto-var-init=zero"];
        if (Path.GetFileNameWithoutExtension(source) == "indirect")
            flags.AddRange(["-fsanitize=function", "-fsanitize-trap=function"]);
        var native = CCompiler.Compile(source, CompileOptions.Host(opt) with { Flags = flags }).Path;
        var core = Path.Combine(Directory.CreateTempSubdirectory("dwarfsmith-native-core-").FullName, "core");
        var crash = ProcessRunner.Run(Toolchain.Gdb, ["-batch", "-nx", "-ex", "run", "-ex", $"gcore {core}", "--args", native]);
        Assert.True(File.Exists(core), $"gdb made no core dump of {native}:\n{crash.StandardOutput}\n{crash.StandardError}");
        var read = ProcessRunner.Run(Toolchain.Gdb, ["-batch", "-nx", native, core, "-x", Script],
            new ProcessOptions { Environment = new Dictionary<string, string?> { ["CORE_SOURCE"] = Path.GetFullPath(source) } });
        var line = read.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("@@FRAMES@@", StringComparison.Ordinal));
        Assert.True(line is not null, $"gdb read no frames:\n{read.StandardOutput}\n{read.StandardError}");
        var frames = new List<GdbFrame>();
        foreach (var frame in JsonDocument.Parse(line["@@FRAMES@@".Length..]).RootElement.EnumerateArray())
        {
            frames.Add(new GdbFrame(frame.GetProperty("function").GetString()!, frame.GetProperty("line").GetInt32(), frame.GetProperty("inlined").GetBoolean(),
                frame.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)));
        }

        return frames;
    }

    private static string Describe(string function, ulong line, bool inlined, bool functionOnly) =>
        functionOnly ? function : $"{function}:{line}{(inlined ? " (inlined)" : "")}";

    /// <summary>
    /// A value with its addresses made comparable across address spaces: a null pointer stays 0x0,
    /// any other is "pointer", and the symbol gdb names after a pointer (<c>&lt;main[storage]&gt;</c>,
    /// <c>&lt;add&gt;</c>) is left out, as a wasm symbol table is not an ELF one.
    /// </summary>
    /// <summary>
    /// Equal, but for parts of an aggregate that one side cannot show: a member known in one build
    /// and <c>&lt;optimized out&gt;</c> (or gdb's <c>&lt;synthetic pointer&gt;</c>) in the other is no
    /// differing value. Both are split into members at braces and commas; the shapes must agree.
    /// </summary>
    private static bool SameWhereBothShow(string ours, string gdbs)
    {
        if (ours == gdbs)
            return true;
        var a = Regex.Split(ours, @"(\{|\}|, )");
        var b = Regex.Split(gdbs, @"(\{|\}|, )");
        if (a.Length != b.Length)
            return false;
        for (int i = 0; i < a.Length; i++)
        {
            var (x, y) = (MemberValue(a[i]), MemberValue(b[i]));
            if (a[i] != b[i] && !(x.Name == y.Name && (x.Value.StartsWith('<') || y.Value.StartsWith('<'))))
                return false;
        }

        return true;
    }

    private static (string Name, string Value) MemberValue(string part)
    {
        var at = part.IndexOf(" = ", StringComparison.Ordinal);
        return at < 0 ? ("", part) : (part[..at], part[(at + 3)..]);
    }

    private static string Normalized(string value) =>
        Regex.Replace(value, @"\b0x[0-9a-f]+\b( <[^<>]*>)?", m => m.Value == "0x0" ? "0x0" : "pointer");
}
