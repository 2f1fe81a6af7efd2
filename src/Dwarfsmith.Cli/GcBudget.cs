using System.Runtime;

namespace Dwarfsmith.Cli;

/// <summary>
/// Runs a batch step without garbage collections when its allocations are predictable: a rewrite
/// builds a write model that lives until it is emitted, so collecting during it only copies live
/// objects between generations (a fifth of its time on SQLite). Going past the budget simply
/// collects as usual; when a region cannot start (another is active, or the budget is too large
/// for the runtime) the step runs with collections.
/// </summary>
public sealed class GcBudget : IDisposable
{
    private readonly bool _started;

    private GcBudget(bool started) => _started = started;

    /// <summary>
    /// A budget for running a module's DWARF through the transformation pass: a rewrite allocates
    /// about 18 bytes per byte of DWARF, reading the module included (SQLite: 57 MB for 3.25 MB;
    /// compact adds 8 MB for the code), and the rest is room for visitors that allocate more.
    /// </summary>
    public static GcBudget ForDwarf(Dwarfsmith.Wasm.WasmModule module) =>
        Reserve(Math.Clamp(48 * module.DebugSize, 16L << 20, 240L << 20));

    public static GcBudget Reserve(long bytes)
    {
        try
        {
            return new GcBudget(GC.TryStartNoGCRegion(bytes));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentOutOfRangeException)
        {
            return new GcBudget(false);
        }
    }

    public void Dispose()
    {
        if (!_started || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
            return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The region already ended (the budget was exceeded and the runtime collected).
        }
    }
}
