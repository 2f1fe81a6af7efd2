using System.Text.RegularExpressions;
using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Compaction;

namespace Dwarfsmith.Bench;

/// <summary>
/// <c>dwarfsmith compact</c> against Binaryen's <c>wasm-opt -g in.wasm -o out.wasm</c> (no passes: the
/// only other tool that writes a linked module back with its DWARF) on SQLite: whole-process time and
/// peak memory, and what each does to the debug information: line-table rows (llvm-dwarfdump
/// --debug-line), new llvm-dwarfdump --verify errors, the size of .debug_line.
/// </summary>
public static partial class CompactBenchmark
{
    public static int Run(int runs)
    {
        var sqlite = Corpus.Sqlite().Path;
        var cli = Measure.Cli();
        string scratch = RepoPaths.NewScratchDirectory("bench-compact");
        string ours = Path.Combine(scratch, "dwarfsmith.wasm"), binaryen = Path.Combine(scratch, "wasm-opt.wasm");
        string[] compactArgs = ["compact", sqlite, "-o", ours], wasmOptArgs = ["-g", sqlite, "-o", binaryen];
        var processes = Measure.Processes(runs,
            ("wasm-opt -g sqlite.wasm -o out.wasm (Binaryen)", Toolchain.WasmOpt, wasmOptArgs),
            ("dwarfsmith compact sqlite.wasm -o out.wasm", cli, compactArgs));
        var (wasmOpt, compact) = (processes[0], processes[1]);
        double oursPeak = PeakMemory.Megabytes(cli, compactArgs);
        double binaryenPeak = PeakMemory.Megabytes(Toolchain.WasmOpt, wasmOptArgs);

        var bytes = File.ReadAllBytes(sqlite);
        var codeOnly = Measure.InProcess("in-process: read + compact the code section", runs, () =>
            CodeCompactor.Compact(WasmModule.Read(bytes)));
        var identity = Measure.InProcess("in-process: read + identity DWARF rewrite (the pass)", runs, () =>
            WasmDwarfRewriter.Rewrite(WasmModule.Read(bytes), DwarfVisitor.Identity));
        var whole = Measure.InProcess("in-process: read + compact + remap DWARF + encode", runs, () =>
            ModuleCompactor.Compact(WasmModule.Read(bytes)));

        var input = Facts.Of(sqlite, null);
        var dwarfsmith = Facts.Of(ours, input);
        var wasmOptFacts = Facts.Of(binaryen, input);
        var lines = new List<string>
        {
            $"SQLite module (-O1, DWARF 4): {input.ModuleBytes / 1e6:F2} MB",
            wasmOpt.ToString(),
            compact.ToString(),
            codeOnly.ToString(),
            identity.ToString(),
            whole.ToString(),
            "",
            $"{"",-28}{"input",14}{"dwarfsmith",14}{"wasm-opt -g",14}",
            Row("module bytes", input.ModuleBytes, dwarfsmith.ModuleBytes, wasmOptFacts.ModuleBytes),
            Row("code section bytes", input.CodeBytes, dwarfsmith.CodeBytes, wasmOptFacts.CodeBytes),
            Row(".debug_line bytes", input.DebugLineBytes, dwarfsmith.DebugLineBytes, wasmOptFacts.DebugLineBytes),
            Row("line-table rows", input.LineRows, dwarfsmith.LineRows, wasmOptFacts.LineRows),
            Row("verify errors", input.VerifyErrors.Count, dwarfsmith.VerifyErrors.Count, wasmOptFacts.VerifyErrors.Count),
            Row("new verify errors", 0, dwarfsmith.NewVerifyErrors, wasmOptFacts.NewVerifyErrors),
            $"{"time (median ms)",-28}{"",14}{compact.Median,14:F0}{wasmOpt.Median,14:F0}",
            $"{"peak memory (MB)",-28}{"",14}{oursPeak,14:F0}{binaryenPeak,14:F0}",
            "",
            $"line rows kept: dwarfsmith {100.0 * dwarfsmith.LineRows / input.LineRows:F1}%, wasm-opt {100.0 * wasmOptFacts.LineRows / input.LineRows:F1}% (target 100%: {Met(dwarfsmith.LineRows == input.LineRows)})",
            $".debug_line vs input: dwarfsmith {Percent(dwarfsmith.DebugLineBytes, input.DebugLineBytes)}, wasm-opt {Percent(wasmOptFacts.DebugLineBytes, input.DebugLineBytes)} (target <= input: {Met(dwarfsmith.DebugLineBytes <= input.DebugLineBytes)})",
            $"new verify errors: dwarfsmith {dwarfsmith.NewVerifyErrors}, wasm-opt {wasmOptFacts.NewVerifyErrors} (target 0: {Met(dwarfsmith.NewVerifyErrors == 0)})",
            $"speed-up over wasm-opt -g (whole process, median): {wasmOpt.Median / compact.Median:F1}x (target >= 10x: {Met(wasmOpt.Median >= 10 * compact.Median)})",
            $"peak memory vs wasm-opt: {oursPeak / binaryenPeak:F2} (target <= 0.33: {Met(oursPeak * 3 <= binaryenPeak)})",
        };
        Measure.Report("compact", lines);
        return 0;
    }

    private static string Row(string what, long input, long ours, long binaryen) => $"{what,-28}{input,14:N0}{ours,14:N0}{binaryen,14:N0}";

    private static string Percent(long value, long reference) => $"{100.0 * (value - reference) / reference:+0.0;-0.0}%";

    private static string Met(bool met) => met ? "met" : "NOT met";

    /// <summary>What the benchmark reports of one module.</summary>
    private sealed record Facts(long ModuleBytes, long CodeBytes, long DebugLineBytes, long LineRows, IReadOnlyList<string> VerifyErrors, int NewVerifyErrors)
    {
        public static Facts Of(string path, Facts? input)
        {
            var module = WasmModule.ReadFile(path);
            var dump = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--debug-line", path], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) })
                .EnsureSuccess().StandardOutput;
            var errors = DwarfVerify.Errors(path);
            var known = input?.VerifyErrors.ToHashSet() ?? [];
            return new Facts(
                module.Bytes.Length,
                module.CodeSection?.PayloadSize ?? 0,
                module.FindCustomSection(".debug_line")?.Content.Length ?? 0,
                LineRow().Count(dump),
                errors,
                errors.Count(e => !known.Contains(e)));
        }
    }

    [GeneratedRegex(@"^0x[0-9a-f]{16}\s", RegexOptions.Multiline)]
    private static partial Regex LineRow();
}
