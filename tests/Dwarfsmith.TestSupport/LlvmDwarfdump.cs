namespace Dwarfsmith.TestSupport;

/// <summary>One run of llvm-dwarfdump-22 on a file, with the timeout its slow modes need on big modules.</summary>
internal static class LlvmDwarfdump
{
    public static ProcessResult Run(string option, string path) =>
        ProcessRunner.Run(Toolchain.LlvmDwarfdump, [option, path], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) });
}
