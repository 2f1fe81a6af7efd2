using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary>
/// The whole path a crash from the field takes, through the CLI: a trapping program of corpus/traps
/// shipped three ways — as built, without its DWARF (<c>split</c>, the DWARF in a debug file beside
/// it), and made smaller (<c>compact</c>) — each compiled by <c>aot --coredump-on-trap</c>, run to its
/// trap, and its dump read by <c>coredump</c> with nothing but the dump's folder to go on. The three
/// readings must be the same text: backtrace, every frame's variables, the globals.
/// </summary>
public class CoreDumpEndToEndTests
{
    public static TheoryData<string, string> Programs => new()
    {
        { "divide", "-O0" },
        { "assert", "-O2" },
        { "out_of_bounds", "-O0" },
        { "indirect", "-O2" },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void A_dump_reads_the_same_from_the_module_its_split_debug_file_and_its_compacted_form(string name, string level)
    {
        var source = Path.Combine(RepoPaths.Root, "corpus", "traps", name + ".c");
        var wasm = CCompiler.Compile(source, CompileOptions.Wasm(level == "-O0" ? OptLevel.O0 : OptLevel.O2)).Path;
        var root = RepoPaths.NewScratchDirectory("coredump-e2e-" + name);
        string Shipped(string how)
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, how)).FullName;
            return Path.Combine(folder, name + ".wasm");
        }

        var asBuilt = Shipped("built");
        File.Copy(wasm, asBuilt);
        var split = Shipped("split");
        Succeeds(CliRun.Of("split", wasm, "-o", split, "--debug-file", Path.Combine(Path.GetDirectoryName(split)!, name + ".debug.wasm")));
        var compacted = Shipped("compacted");
        Succeeds(CliRun.Of("compact", wasm, "-o", compacted));

        var readings = new[] { asBuilt, split, compacted }.Select(module => ReadDumpOf(module, level)).ToList();
        Assert.Contains($"{name}.c:", readings[0], StringComparison.Ordinal);
        Assert.Equal(readings[0], readings[1]);
        Assert.Equal(readings[0], readings[2]);
    }

    /// <summary>Compiles the module with core dumps, runs it to its trap in its own folder, and reads the dump found there.</summary>
    private static string ReadDumpOf(string module, string level)
    {
        var folder = Path.GetDirectoryName(module)!;
        var executable = Path.Combine(folder, "program");
        Succeeds(CliRun.Of("aot", module, "-o", executable, level, "--coredump-on-trap"));
        var run = ProcessRunner.Run(executable, [], new ProcessOptions { WorkingDirectory = folder, Timeout = TimeSpan.FromSeconds(60) });
        Assert.True(run.ExitCode == 134, $"exit {run.ExitCode}\n{run.StandardError}");
        var dump = Path.Combine(folder, Path.GetFileNameWithoutExtension(module) + ".coredump");
        Assert.True(File.Exists(dump), run.StandardError);
        var read = CliRun.Of("coredump", dump);
        Succeeds(read);
        return read.Output;
    }

    private static void Succeeds(CliRun run) => Assert.True(run.ExitCode == 0, run.ToString());
}
