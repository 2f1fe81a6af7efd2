using System.Diagnostics;
using Dwarfsmith.Tools.PostLink;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Validation;

namespace Dwarfsmith.Cli;

/// <summary>The demo's post-link step: compact the sample, check what was kept, then split its debug information.</summary>
internal static class PostLinkDemo
{
    public static int Run(CliConsole console, WasmModule module)
    {
        var compacted = ModuleCompactor.Build(module);
        var bytes = ModuleCompactor.Encode(compacted, module);
        var output = WasmModule.Read(bytes);
        console.Out.WriteLine($"module:       {module.Bytes.Length,9:N0} -> {bytes.Length,9:N0} bytes");
        console.Out.WriteLine($"code section: {module.CodeSection?.PayloadSize ?? 0,9:N0} -> {output.CodeSection?.PayloadSize ?? 0,9:N0} bytes ({compacted.Code.InstructionCount:N0} instructions re-encoded)");
        console.Out.WriteLine($".debug_line:  {DebugLineSize(module),9:N0} -> {DebugLineSize(output),9:N0} bytes");
        var audit = LineRowAudit.Of(module, output, compacted.Code.Map);
        console.Out.WriteLine($"line rows at their new addresses: {audit.Kept:N0} of {audit.Rows:N0}");
        var validation = ModuleValidator.Validate(output);
        console.Out.WriteLine($"compacted module valid: {validation.FunctionCount} functions type-checked");
        console.Out.WriteLine($"llvm-dwarfdump --verify: {VerifyWithLlvm(bytes)}");

        var split = DebugInfoSplitter.Split(compacted.Builder, module.BuildId?.Length, "sample.debug.wasm");
        console.Out.WriteLine($"split: sample.wasm {split.Main.Length:N0} bytes + sample.debug.wasm {split.Debug.Length:N0} bytes, build id {Convert.ToHexStringLower(split.BuildId)}");
        return audit.Kept == audit.Rows ? ExitCodes.Ok : ExitCodes.FailureFound;
    }

    private static int DebugLineSize(WasmModule module) => module.FindCustomSection(".debug_line")?.Content.Length ?? 0;

    /// <summary>Runs llvm-dwarfdump-22 --verify on the compacted module when it is installed (the demo needs no toolchain).</summary>
    private static string VerifyWithLlvm(byte[] module)
    {
        string path = Path.Combine(Path.GetTempPath(), $"dwarfsmith-demo-{Environment.ProcessId}.wasm");
        try
        {
            File.WriteAllBytes(path, module);
            var start = new ProcessStartInfo("llvm-dwarfdump-22") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("--verify");
            start.ArgumentList.Add(path);
            using var process = Process.Start(start)!;
            string text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return text.Contains("No errors.", StringComparison.Ordinal) ? "no errors" : $"errors (exit {process.ExitCode})";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "skipped (llvm-dwarfdump-22 is not installed)";
        }
        finally
        {
            File.Delete(path);
        }
    }
}
