using System.Globalization;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Debug builds (<see cref="AotOptions.DebugInfo"/>) map linear memory 0 a second time at host
/// address == wasm address, so that gdb reads a wasm pointer's target at the pointer's value: the
/// program still runs as node runs it, gdb reads the same bytes through the alias as through
/// <c>wasm_mem0_base</c> (also pages added by memory.grow), and traps are reported as without it.
/// </summary>
public sealed class MemoryAliasTests
{
    private static readonly TimeSpan DebuggerTimeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("strings", OptLevel.O2, "clang-22")]
    [InlineData("pointers", OptLevel.O0, "gcc")]
    public void Debug_build_matches_node(string name, OptLevel opt, string compiler)
    {
        var program = Corpus.Get(name);
        var wasm = program.BuildWasm(opt);
        var expected = program.RunWasm(wasm.Path);
        var actual = AotHarness.RunCorpus(program, AotHarness.Compile(wasm.Path, opt == OptLevel.O0 ? 0 : 2, compiler, debugInfo: true));
        Assert.Equal(expected.StandardOutput, actual.StandardOutput);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
    }

    /// <summary>
    /// Stopped in WASI's fd_write while the program prints (its text is in linear memory), gdb's
    /// <c>x/s</c> and <c>p *(int*)</c> at the wasm address show what they show at base + address.
    /// </summary>
    [SkippableTheory]
    [InlineData(0)]
    [InlineData(2)]
    public void Gdb_reads_a_string_at_its_wasm_address(int level)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var program = Corpus.Get("strings");
        var executable = AotHarness.Compile(program.BuildWasm(OptLevel.O0).Path, level, debugInfo: true);
        var output = RunGdb(executable, """
            gdb.execute("break wasi_fd_write")
            gdb.execute("run -- > /dev/null")
            inferior = gdb.selected_inferior()
            base = int(gdb.parse_and_eval("(unsigned long)wasm_mem0_base"))
            # The first non-empty iovec: buffer address and length, read through the base.
            value = gdb.selected_frame().read_var("iovs")
            iovs = int(value) if not value.is_optimized_out else int(gdb.parse_and_eval("$rsi")) & 0xFFFFFFFF
            length = 0
            for _ in range(8):
                iovec = bytes(inferior.read_memory(base + iovs, 8))
                address = int.from_bytes(iovec[0:4], "little")
                length = int.from_bytes(iovec[4:8], "little")
                iovs += 8
                if length:
                    break
            report("alias_start", int(gdb.parse_and_eval("wasm_mem0_alias_start")))
            report("address", address)
            report("length", length)
            report("alias_bytes", bytes(inferior.read_memory(address, length)).hex())
            report("base_bytes", bytes(inferior.read_memory(base + address, length)).hex())
            report("alias_x", text("x/s %d" % address))
            report("base_x", text("x/s %d" % (base + address)))
            report("alias_p", text("p *(int*)%d" % address))
            report("base_p", text("p *(int*)%d" % (base + address)))
            """);
        Assert.Equal(MmapMinAddr(), ulong.Parse(output["alias_start"], CultureInfo.InvariantCulture));
        Assert.True(ulong.Parse(output["address"], CultureInfo.InvariantCulture) >= MmapMinAddr(), "the text lies below the alias");
        Assert.NotEqual("0", output["length"]);
        Assert.Equal(output["base_bytes"], output["alias_bytes"]);
        // The program's first output, written by that call.
        var written = System.Text.Encoding.UTF8.GetString(Convert.FromHexString(output["alias_bytes"]));
        Assert.StartsWith(written, program.RunWasm(program.BuildWasm(OptLevel.O0).Path).StandardOutput, StringComparison.Ordinal);
        Assert.Equal(AfterColon(output["base_x"]), AfterColon(output["alias_x"]));
        Assert.Equal(Value(output["base_p"]), Value(output["alias_p"]));
    }

    /// <summary>Pages added by memory.grow appear in the alias too: a value stored past the old end is read at its wasm address.</summary>
    [SkippableTheory]
    [InlineData(BoundsChecks.GuardPages)]
    [InlineData(BoundsChecks.Explicit)]
    public void Gdb_follows_memory_grow(BoundsChecks checks)
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var wasm = AotHarness.Wat("alias_grow", """
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory 1 8)
              (func $_start (export "_start")
                i32.const 65532 i32.const 0x11223344 i32.store
                i32.const 3 memory.grow drop
                i32.const 262140 i32.const 0x55667788 i32.store
                i32.const 0 call $exit)
            )
            """);
        var executable = AotHarness.Compile(wasm, 0, boundsChecks: checks, debugInfo: true);
        var output = RunGdb(executable, """
            gdb.execute("break wasi_proc_exit")
            gdb.execute("run")
            report("old_end", text("p/x *(unsigned int*)65532"))
            report("grown", text("p/x *(unsigned int*)262140"))
            report("grown_base", text("p/x *(unsigned int*)(wasm_mem0_base + 262140)"))
            report("size", int(gdb.parse_and_eval("wasm_mem0_size")))
            """);
        Assert.EndsWith("0x11223344", output["old_end"], StringComparison.Ordinal);
        Assert.EndsWith("0x55667788", output["grown"], StringComparison.Ordinal);
        Assert.Equal(Value(output["grown_base"]), Value(output["grown"]));
        Assert.Equal("262144", output["size"]);
    }

    /// <summary>
    /// Where the alias cannot be reserved (here: an address-space limit that leaves room for the
    /// 8 GiB guard-page reservation and the guest's 1 GiB stack, not for 4 GiB more), the program runs
    /// as usual and says nothing; <c>wasm_mem0_alias_start</c> is 0.
    /// </summary>
    [SkippableFact]
    public void Without_room_for_the_alias_the_program_runs_as_usual()
    {
        HostCapabilities.Ptrace.SkipUnlessAvailable();
        var program = Corpus.Get("strings");
        var wasm = program.BuildWasm(OptLevel.O0).Path;
        var executable = AotHarness.Compile(wasm, 2, debugInfo: true);
        var run = ProcessRunner.Run("/bin/bash", ["-c", $"ulimit -v {AddressSpaceLimitKb} && exec \"$0\" --", executable],
            new ProcessOptions { Timeout = DebuggerTimeout });
        Assert.Equal(program.RunWasm(wasm).StandardOutput, run.StandardOutput);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.StandardError);
        var output = RunGdb(executable, """
            gdb.execute("break wasi_fd_write")
            gdb.execute("run -- > /dev/null")
            report("alias_start", int(gdb.parse_and_eval("wasm_mem0_alias_start")))
            """, limitAddressSpace: true);
        Assert.Equal("0", output["alias_start"]);
    }

    private const long AddressSpaceLimitKb = 10_500_000;

    /// <summary>An out-of-bounds access in a debug build is the trap a build without the alias reports.</summary>
    [Theory]
    [InlineData("clang-22", 2, BoundsChecks.GuardPages)]
    [InlineData("gcc", 0, BoundsChecks.GuardPages)]
    [InlineData("clang-22", 2, BoundsChecks.Explicit)]
    public void Out_of_bounds_access_still_traps(string compiler, int level, BoundsChecks checks)
    {
        var wasm = AotHarness.Wat("alias_trap", """
            (module
              (memory 1 4)
              (func $culprit i32.const 131069 i32.load drop)
              (func $_start (export "_start")
                i32.const 1 memory.grow drop
                call $culprit)
            )
            """);
        var expected = $"wasm trap: out of bounds memory access\n    at culprit (code offset 0x{GuardPageTrapTests.InstructionOffset(wasm, "culprit", "i32.load"):x}) in ";
        var run = AotHarness.Run(AotHarness.Compile(wasm, level, compiler, boundsChecks: checks, debugInfo: true), []);
        Assert.True(run.ExitCode == 134, $"exit {run.ExitCode}\n{run.StandardError}");
        Assert.StartsWith(expected, run.StandardError, StringComparison.Ordinal);
    }

    private static ulong MmapMinAddr() =>
        ulong.Parse(File.ReadAllText("/proc/sys/vm/mmap_min_addr").Trim(), CultureInfo.InvariantCulture);

    /// <summary>What gdb printed after <c>$N = </c>.</summary>
    private static string Value(string line) => line[(line.IndexOf(" = ", StringComparison.Ordinal) + 3)..];

    private static string AfterColon(string line) => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();

    /// <summary>Runs a gdb Python script against <paramref name="executable"/>; its <c>report(name, value)</c> lines come back by name.</summary>
    private static Dictionary<string, string> RunGdb(string executable, string script, bool limitAddressSpace = false)
    {
        var directory = RepoPaths.NewScratchDirectory("gdb-alias");
        try
        {
            var path = Path.Combine(directory, "script.py");
            File.WriteAllText(path, $$"""
                import gdb
                def report(name, value):
                    print("REPORT %s=%s" % (name, value), flush=True)
                def text(command):
                    return gdb.execute(command, to_string=True).strip()
                gdb.execute("set pagination off")
                gdb.execute("set confirm off")
                {{script}}
                gdb.execute("kill")
                """);
            List<string> gdb = [Toolchain.Gdb, "-batch", "-nx", "-x", path, executable];
            var run = limitAddressSpace
                ? ProcessRunner.Run("/bin/bash", ["-c", $"ulimit -v {AddressSpaceLimitKb} && exec \"$@\"", "bash", .. gdb], new ProcessOptions { Timeout = DebuggerTimeout })
                : ProcessRunner.Run(gdb[0], gdb[1..], new ProcessOptions { Timeout = DebuggerTimeout });
            var reports = run.StandardOutput.Split('\n')
                .Where(line => line.StartsWith("REPORT ", StringComparison.Ordinal))
                .Select(line => line["REPORT ".Length..].Split('=', 2))
                .ToDictionary(parts => parts[0], parts => parts[1]);
            Assert.True(reports.Count > 0 && !run.TimedOut, $"gdb reported nothing:\n{run.Describe()}");
            return reports;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
