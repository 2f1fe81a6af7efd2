using System.Diagnostics;

namespace Dwarfsmith.Aot;

/// <summary>
/// Where an AOT compile's time went, filled in by <see cref="AotCompiler.Compile"/> when given in
/// <see cref="AotOptions.PhaseTimes"/>: the benchmarks set the debug information's translation
/// beside the C compile it follows.
/// </summary>
public sealed class AotPhaseTimes
{
    /// <summary>wasm → C.</summary>
    public TimeSpan Translate { get; internal set; }

    /// <summary>The C compiler: the module's C (all parts) and the link.</summary>
    public TimeSpan CCompile { get; internal set; }

    /// <summary>Debug builds: reading the executable's DWARF and translating the module's (the pass), <see cref="NativeDwarf.NativeDebugInfo.Build"/>.</summary>
    public TimeSpan DebugInfoTransform { get; internal set; }

    /// <summary>Debug builds: putting the sections into the executable (objcopy), and the debug file when asked for.</summary>
    public TimeSpan DebugInfoAttach { get; internal set; }

    internal static TimeSpan Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed;
    }
}
