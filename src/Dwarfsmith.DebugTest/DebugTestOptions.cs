using System.Globalization;

namespace Dwarfsmith.DebugTest;

/// <summary>What one <c>debugtest</c> run compares.</summary>
public sealed record DebugTestOptions
{
    /// <summary>Csmith seeds to generate programs from (after sharding).</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [];

    /// <summary>Given C files (compared as they are).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The engine of the side under test (<see cref="DebugEngines.Names"/>).</summary>
    public string Engine { get; init; } = "wasmtime";

    /// <summary>Self-checks only: damage the side under test (native engine).</summary>
    public SourceDamage Damage { get; init; } = SourceDamage.None;

    public IReadOnlyList<DebuggerKind> Debuggers { get; init; } = [DebuggerKind.Gdb, DebuggerKind.Lldb];

    /// <summary>C optimization levels (each compared separately).</summary>
    public IReadOnlyList<int> Optimizations { get; init; } = [0];

    /// <summary>Recorded stops per program side.</summary>
    public int Steps { get; init; } = 200;

    /// <summary>Globals are recorded every this many stops.</summary>
    public int GlobalsEvery { get; init; } = 10;

    /// <summary>Programs compared in parallel.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>Where sources, builds and both transcripts of every divergent program are kept, or null.</summary>
    public string? KeepDirectory { get; init; }

    /// <summary>Generated programs and builds (keyed by their inputs).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>One debugger session's time limit.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Parses <c>A-B</c> (inclusive) or a single seed.</summary>
    public static List<long> ParseSeedRange(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dash = text.IndexOf('-', 1);
        var first = long.Parse(dash < 0 ? text : text[..dash], CultureInfo.InvariantCulture);
        var last = dash < 0 ? first : long.Parse(text[(dash + 1)..], CultureInfo.InvariantCulture);
        if (first < 0 || last < first || last - first > 10_000_000)
            throw new FormatException($"bad seed range {text}: expected A-B with 0 <= A <= B");
        var seeds = new List<long>();
        for (var seed = first; seed <= last; seed++)
            seeds.Add(seed);
        return seeds;
    }

    /// <summary>The I-th of N shares (1-based) of the items: every N-th, starting at the I-th.</summary>
    public static List<T> Shard<T>(IReadOnlyList<T> items, string shard)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(shard);
        var slash = shard.IndexOf('/');
        if (slash < 0 || !int.TryParse(shard[..slash], CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(shard[(slash + 1)..], CultureInfo.InvariantCulture, out var count) || count < 1 || index < 1 || index > count)
        {
            throw new FormatException($"bad shard {shard}: expected I/N with 1 <= I <= N");
        }
        return [.. items.Where((_, i) => i % count == index - 1)];
    }
}
