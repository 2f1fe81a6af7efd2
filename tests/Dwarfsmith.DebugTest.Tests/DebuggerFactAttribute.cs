using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.DebugTest.Tests;

/// <summary>
/// A fact that needs gdb, lldb-22 (with its Python module), csmith and the right to trace a child process. The
/// capability is probed once (gdb runs /bin/true to its end); without it the test is skipped with the reason.
/// </summary>
public sealed class DebuggerFactAttribute : FactAttribute
{
    public DebuggerFactAttribute()
    {
        if (DebuggerCapability.MissingReason is { } reason)
            Skip = reason;
    }
}

/// <summary>The same for theories.</summary>
public sealed class DebuggerTheoryAttribute : TheoryAttribute
{
    public DebuggerTheoryAttribute()
    {
        if (DebuggerCapability.MissingReason is { } reason)
            Skip = reason;
    }
}

internal static class DebuggerCapability
{
    private static readonly Lazy<string?> s_missing = new(Probe);

    /// <summary>Why debugger tests cannot run here, or null when they can.</summary>
    public static string? MissingReason => s_missing.Value;

    private static string? Probe()
    {
        foreach (var tool in new[] { "gdb", "lldb", "csmith", "clang" })
        {
            if (!Toolchain.Has(tool))
                return $"{tool} is not installed (scripts/install-toolchain.sh)";
        }
        var run = ProcessRunner.Run(Toolchain.Gdb, ["-batch", "-nx", "-ex", "run", "-ex", "info inferiors", "/bin/true"],
            new ProcessOptions { Timeout = TimeSpan.FromSeconds(60) });
        if (!run.Succeeded || !run.StandardOutput.Contains("exited normally", StringComparison.Ordinal))
            return "gdb cannot run a program here (no ptrace?): " + run.StandardError.Trim();
        var lldb = ProcessRunner.Run(Toolchain.Lldb, ["-P"], new ProcessOptions { Timeout = TimeSpan.FromSeconds(60) });
        if (!lldb.Succeeded || !Directory.Exists(Path.Combine(lldb.StandardOutput.Trim(), "lldb")))
            return "lldb-22's Python module is missing (python3-lldb-22)";
        return null;
    }
}
