using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Bench;

/// <summary>
/// Identity rewrite of the SQLite module's DWARF through the transformation pass, against Binaryen's
/// <c>wasm-opt -g</c> (which also rewrites DWARF) and <c>llvm-dwarfdump --verify</c> (which reads all
/// of it): whole process against whole process, peak memory, and in-process throughput.
/// </summary>
public static class RewriteBenchmark
{
    public static int Run(int runs)
    {
        var sqlite = Corpus.Sqlite().Path;
        var bytes = File.ReadAllBytes(sqlite);
        var cli = Measure.Cli();
        string scratch = RepoPaths.NewScratchDirectory("bench-rewrite");
        string ours = Path.Combine(scratch, "dwarfsmith.wasm"), binaryen = Path.Combine(scratch, "wasm-opt.wasm");
        string[] rewriteArgs = ["rewrite", sqlite, "-o", ours], wasmOptArgs = ["-g", sqlite, "-o", binaryen];
        var processes = Measure.Processes(runs,
            ("wasm-opt -g sqlite.wasm -o out.wasm (Binaryen)", Toolchain.WasmOpt, wasmOptArgs),
            ("llvm-dwarfdump --verify sqlite.wasm", Toolchain.LlvmDwarfdump, ["--verify", sqlite]),
            ("dwarfsmith rewrite sqlite.wasm -o out.wasm", cli, rewriteArgs));
        double oursPeak = PeakMemory.Megabytes(cli, rewriteArgs);
        double binaryenPeak = PeakMemory.Megabytes(Toolchain.WasmOpt, wasmOptArgs);

        var module = WasmModule.Read(bytes);
        long dwarfBytes = module.DebugSections.Sum(s => (long)s.Content.Length);
        var inProcess = Measure.InProcess("in-process: read + transform + emit + write module", runs * 2, () =>
            WasmDwarfRewriter.Rewrite(WasmModule.Read(bytes), DwarfVisitor.Identity).Builder.WriteTo(Stream.Null));
        var (wasmOpt, verify, rewrite) = (processes[0], processes[1], processes[2]);
        var lines = new List<string>
        {
            $"SQLite module: {bytes.Length / 1e6:F2} MB, DWARF {dwarfBytes / 1e6:F2} MB",
            wasmOpt.ToString(),
            verify.ToString(),
            rewrite.ToString(),
            inProcess.ToString(),
            $"in-process throughput: {dwarfBytes / 1e6 / (inProcess.Median / 1000):F1} MB of DWARF/s",
            $"peak memory: dwarfsmith {oursPeak:F0} MB, wasm-opt {binaryenPeak:F0} MB (target < 150 MB: {(oursPeak < 150 ? "met" : "NOT met")})",
            $"speed-up over wasm-opt -g (whole process, median): {wasmOpt.Median / rewrite.Median:F1}x (target >= 10x: {(wasmOpt.Median >= 10 * rewrite.Median ? "met" : "NOT met")})",
            $"ratio dwarfsmith / llvm-dwarfdump --verify (median): {rewrite.Median / verify.Median:F2} (target <= 1.50: {(rewrite.Median <= 1.5 * verify.Median ? "met" : "NOT met")})",
        };
        Measure.Report("rewrite", lines);
        return 0;
    }
}
