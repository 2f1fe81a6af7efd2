namespace Dwarfsmith.DebugTest;

/// <summary>How a debugger runs one side of a program.</summary>
/// <param name="Command">The program and its arguments, as the debugger launches it.</param>
/// <param name="Jit">True when the code appears at run time through the GDB JIT interface (the debugger then
/// enables its JIT loader and lets the engine's own signals pass).</param>
/// <param name="Files">What <c>--keep</c> copies: the build outputs (and damaged sources).</param>
public sealed record DebugTarget(IReadOnlyList<string> Command, bool Jit, IReadOnlyList<string> Files)
{
    /// <summary>
    /// lldb commands run before the target is created: what lldb needs to read this side right that its DWARF
    /// cannot say (e.g. a Python extension's <c>command script import</c>, in place before the first value shows).
    /// </summary>
    public IReadOnlyList<string> LldbInitCommands { get; init; } = [];

    /// <summary>The wasm module this side runs, for a wasm engine: what the reference side's rules are measured against.</summary>
    public string? Module { get; init; }

    /// <summary>
    /// Addresses where a stop is not recorded and the debugger steps on (<see cref="UnsteppableStatements"/>,
    /// on the reference side of a wasm engine's comparison).
    /// </summary>
    public IReadOnlyCollection<ulong> SkipAddresses { get; init; } = [];
}

/// <summary>
/// An engine runs one side of the comparison. The reference side is always <see cref="NativeEngine"/>; the
/// side under test is any engine: <c>native</c> (the self-check), <c>wasmtime</c>, <c>aot</c>, and later the
/// wasm-level debug server. An engine builds what it needs through <see cref="Builds"/> and says how to run it.
/// </summary>
public interface IDebugEngine
{
    /// <summary>The name on the command line and in reports.</summary>
    string Name { get; }

    /// <summary>Builds the program for this engine at <c>-O<paramref name="optimization"/></c>.</summary>
    /// <param name="workDirectory">A directory of this program's own for files the engine writes.</param>
    DebugTarget Prepare(TestProgram program, int optimization, Builds builds, string workDirectory);
}

/// <summary>The engines by name.</summary>
public static class DebugEngines
{
    public static IReadOnlyList<string> Names { get; } = ["native", "wasmtime", "aot"];

    /// <summary>The engine called <paramref name="name"/>, with a deliberate damage for self-checks.</summary>
    public static IDebugEngine Create(string name, SourceDamage damage = SourceDamage.None) => name switch
    {
        "native" => new NativeEngine(damage),
        "wasmtime" when damage == SourceDamage.None => new WasmtimeEngine(),
        "aot" when damage == SourceDamage.None => new AotEngine(),
        "wasmtime" or "aot" => throw new ArgumentException("damage applies to the native engine only", nameof(damage)),
        _ => throw new ArgumentException($"unknown engine {name} (one of {string.Join(", ", Names)})", nameof(name)),
    };
}

/// <summary>The program compiled for the host, run directly: the reference side, and the self-check's other side.</summary>
public sealed class NativeEngine(SourceDamage damage = SourceDamage.None) : IDebugEngine
{
    public string Name => damage == SourceDamage.None ? "native" : "native-damaged-" + SourceDamages.Name(damage);

    public SourceDamage Damage => damage;

    public DebugTarget Prepare(TestProgram program, int optimization, Builds builds, string workDirectory)
    {
        var source = program.SourcePath;
        var files = new List<string>();
        if (damage != SourceDamage.None)
        {
            source = SourceDamages.Write(program, damage, workDirectory);
            files.Add(source);
        }
        var exe = builds.Build(program, source, BuildTarget.Host, optimization, []);
        files.Add(exe);
        return new DebugTarget([exe], Jit: false, files);
    }
}

/// <summary>
/// The program compiled for wasm32-wasi and run by Wasmtime (the NuGet package, in the small .NET host
/// <c>src/Dwarfsmith.DebugTest.WasmtimeHost</c>) with debug information on and Cranelift's optimizations off;
/// the debugger sees the JIT code through the GDB JIT interface, in Wasmtime's translation of the DWARF.
/// </summary>
public sealed class WasmtimeEngine : IDebugEngine
{
    public string Name => "wasmtime";

    public DebugTarget Prepare(TestProgram program, int optimization, Builds builds, string workDirectory)
    {
        var wasm = builds.Build(program, program.SourcePath, BuildTarget.Wasm32Wasi, optimization, []);
        var host = WasmtimeHost.Locate(builds.CacheDirectory);
        return new DebugTarget([WasmtimeHost.Dotnet(), host, wasm], Jit: true, [wasm]) { Module = wasm };
    }
}

