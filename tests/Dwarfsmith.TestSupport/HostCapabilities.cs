using Xunit;
using System.ComponentModel;

namespace Dwarfsmith.TestSupport;

/// <summary>
/// Whether this machine can do something a test needs beyond the toolchain: one answer, found once
/// per process by trying it. A test that needs it calls <see cref="SkipUnlessAvailable"/> (in a
/// <c>[SkippableFact]</c> or <c>[SkippableTheory]</c>), so that a machine without it counts the test
/// as skipped, with <see cref="Reason"/>, instead of passing or failing.
/// </summary>
/// <param name="Name">What was tried, e.g. "32-bit x86 execution".</param>
/// <param name="Available">The machine can.</param>
/// <param name="Reason">Why not (what the attempt printed), or what was seen when it can.</param>
public sealed record HostCapability(string Name, bool Available, string Reason)
{
    /// <summary>Skips the calling test, naming the capability and why it is missing, unless the machine has it.</summary>
    public void SkipUnlessAvailable() => Skip.IfNot(Available, $"needs {Name}: {Reason}");

    public override string ToString() => Available ? $"{Name}: yes ({Reason})" : $"{Name}: no ({Reason})";
}

/// <summary>The host capabilities the tests probe (see <see cref="HostCapability"/>).</summary>
public static class HostCapabilities
{
    private static readonly Lazy<HostCapability> s_execute32Bit = new(ProbeExecute32Bit);
    private static readonly Lazy<HostCapability> s_ptrace = new(() => ProbePtrace(Toolchain.Find("gdb"), TrueProgram));
    private static readonly Lazy<HostCapability> s_hugePageAdvice = new(() => ProbeHugePageAdvice(TransparentHugePagesSetting));

    /// <summary>Where Linux says how transparent huge pages are given out.</summary>
    public const string TransparentHugePagesSetting = "/sys/kernel/mm/transparent_hugepage/enabled";

    private const string TrueProgram = "/bin/true";

    /// <summary>
    /// Building with <c>-m32</c> and running the result: needs gcc-multilib and a kernel that executes
    /// 32-bit x86 programs (some CI kernels answer "Exec format error").
    /// </summary>
    public static HostCapability Execute32Bit => s_execute32Bit.Value;

    /// <summary>A debugger starting and tracing a process (ptrace): gdb runs <c>/bin/true</c> to its exit.</summary>
    public static HostCapability Ptrace => s_ptrace.Value;

    /// <summary>Transparent huge pages given out on <c>madvise</c> only, where the CLI's advice matters.</summary>
    public static HostCapability HugePageAdvice => s_hugePageAdvice.Value;

    /// <summary>Every probe, for the summary a test run prints.</summary>
    public static IEnumerable<HostCapability> All => [Execute32Bit, Ptrace, HugePageAdvice];

    /// <summary>Tries to execute <paramref name="program"/> and says whether the kernel ran it.</summary>
    public static HostCapability ProbeExecution(string name, string program)
    {
        try
        {
            var result = ProcessRunner.Run(program, [], new ProcessOptions { Timeout = TimeSpan.FromSeconds(30) });
            return result.Succeeded
                ? new HostCapability(name, true, $"{Path.GetFileName(program)} ran")
                : new HostCapability(name, false, $"{Path.GetFileName(program)} {(result.TimedOut ? "timed out" : $"exited with {result.ExitCode}")}");
        }
        catch (TestEnvironmentException e) when (e.InnerException is Win32Exception refusal)
        {
            // execve's own refusal: ENOEXEC "Exec format error" where the kernel lacks IA-32 emulation.
            // The exception's own message names the process and folder; the error code's text says why.
            var why = new Win32Exception(refusal.NativeErrorCode).Message;
            return new HostCapability(name, false, $"executing {Path.GetFileName(program)}: {why}");
        }
    }

    /// <summary>Runs <paramref name="program"/> under gdb (null: gdb is absent) and says whether it was traced to its exit.</summary>
    public static HostCapability ProbePtrace(string? gdb, string program)
    {
        const string name = "ptrace (debuggers running programs)";
        if (gdb is null)
        {
            return new HostCapability(name, false, "gdb is not installed");
        }

        var result = ProcessRunner.Run(gdb, ["-nx", "-batch", "-ex", "run", "--args", program],
            new ProcessOptions { Timeout = TimeSpan.FromSeconds(60) });
        var output = result.StandardOutput + result.StandardError;
        if (output.Contains("exited normally", StringComparison.Ordinal))
        {
            return new HostCapability(name, true, $"gdb ran {program} to its exit");
        }

        var why = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("warning: Error disabling", StringComparison.Ordinal));
        return new HostCapability(name, false, result.TimedOut ? "gdb timed out" : $"gdb could not run {program}: {why ?? $"exit {result.ExitCode}"}");
    }

    /// <summary>Reads the kernel's huge-page setting at <paramref name="settingPath"/> ("always [madvise] never").</summary>
    public static HostCapability ProbeHugePageAdvice(string settingPath)
    {
        const string name = "transparent huge pages on madvise";
        if (!File.Exists(settingPath))
        {
            return new HostCapability(name, false, $"{settingPath} does not exist");
        }

        var setting = File.ReadAllText(settingPath).Trim();
        return setting.Contains("[madvise]", StringComparison.Ordinal)
            ? new HostCapability(name, true, setting)
            : new HostCapability(name, false, $"the kernel's setting is \"{setting}\": the advice is not asked for");
    }

    private static HostCapability ProbeExecute32Bit()
    {
        const string name = "32-bit x86 execution (-m32)";
        var directory = RepoPaths.CacheDirectory("capabilities");
        var source = Path.Combine(directory, "probe32.c");
        var program = Path.Combine(directory, $"probe32-{Environment.ProcessId}");
        File.WriteAllText(source, "int main(void) { return sizeof(void *) == 4 ? 0 : 1; }\n");
        try
        {
            var build = ProcessRunner.Run(Toolchain.Gcc, ["-m32", "-o", program, source]);
            if (!build.Succeeded)
            {
                var firstError = build.StandardError.Split('\n').FirstOrDefault(l => l.Length > 0) ?? $"exit {build.ExitCode}";
                return new HostCapability(name, false, $"gcc -m32 cannot build (is gcc-multilib installed?): {firstError}");
            }

            return ProbeExecution(name, program);
        }
        finally
        {
            File.Delete(program);
        }
    }
}
