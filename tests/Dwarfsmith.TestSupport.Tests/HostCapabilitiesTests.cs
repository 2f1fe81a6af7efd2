using Xunit;

namespace Dwarfsmith.TestSupport.Tests;

/// <summary>Each capability probe gives both answers: yes where the machine can, no with the reason where it cannot.</summary>
public sealed class HostCapabilitiesTests : IDisposable
{
    private readonly string _scratch = RepoPaths.NewScratchDirectory("capabilities");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Execution_probe_says_yes_for_a_program_the_kernel_runs()
    {
        var capability = HostCapabilities.ProbeExecution("execution", "/bin/true");
        Assert.True(capability.Available, capability.ToString());
    }

    [Fact]
    public void Execution_probe_says_no_with_the_kernels_refusal_for_a_format_it_cannot_run()
    {
        // An ELF header for a machine this kernel does not know: execve answers ENOEXEC, as it does
        // for 32-bit x86 programs on a kernel built without IA-32 emulation.
        var program = Path.Combine(_scratch, "foreign");
        var bytes = new byte[64];
        "\u007fELF"u8.CopyTo(bytes);
        bytes[4] = 2; // 64-bit
        bytes[5] = 1; // little-endian
        bytes[6] = 1;
        bytes[16] = 2; // ET_EXEC
        bytes[18] = 0xFF; // e_machine 0xBEFF: no such machine
        bytes[19] = 0xBE;
        File.WriteAllBytes(program, bytes);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var capability = HostCapabilities.ProbeExecution("execution", program);
        Assert.False(capability.Available);
        Assert.Contains("Exec format error", capability.Reason, StringComparison.Ordinal);
        var skip = Assert.Throws<SkipException>(capability.SkipUnlessAvailable);
        Assert.Contains("needs execution: executing foreign: Exec format error", skip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute32Bit_answers_with_a_reason()
    {
        var capability = HostCapabilities.Execute32Bit;
        Assert.StartsWith("32-bit", capability.Name, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(capability.Reason));
        Assert.Same(capability, HostCapabilities.Execute32Bit); // probed once
    }

    [SkippableFact]
    public void Ptrace_probe_says_yes_where_gdb_can_run_a_program()
    {
        var capability = HostCapabilities.ProbePtrace(Toolchain.Gdb, "/bin/true");
        Skip.IfNot(capability.Available, $"this machine cannot trace: {capability.Reason}");
        Assert.Contains("/bin/true", capability.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ptrace_probe_says_no_when_gdb_cannot_run_the_program_or_is_missing()
    {
        var notAProgram = Path.Combine(_scratch, "text");
        File.WriteAllText(notAProgram, "not a program\n");
        var capability = HostCapabilities.ProbePtrace(Toolchain.Gdb, notAProgram);
        Assert.False(capability.Available);
        Assert.Contains("gdb could not run", capability.Reason, StringComparison.Ordinal);

        var missing = HostCapabilities.ProbePtrace(null, "/bin/true");
        Assert.False(missing.Available);
        Assert.Contains("gdb is not installed", missing.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("always [madvise] never", true)]
    [InlineData("[always] madvise never", false)]
    [InlineData("always madvise [never]", false)]
    public void Huge_page_probe_reads_the_kernels_setting(string setting, bool available)
    {
        var path = Path.Combine(_scratch, "enabled");
        File.WriteAllText(path, setting + "\n");
        var capability = HostCapabilities.ProbeHugePageAdvice(path);
        Assert.Equal(available, capability.Available);
        Assert.Contains(setting, capability.Reason, StringComparison.Ordinal);
        Assert.False(HostCapabilities.ProbeHugePageAdvice(Path.Combine(_scratch, "absent")).Available);
    }
}
