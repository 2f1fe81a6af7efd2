using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Debugging.Locations;

/// <summary>
/// What a DWARF expression may read in one frame of a dump: the frame's wasm locals and operand
/// stack, the instance's globals and memory, the frame base (computed once, when an expression asks
/// for it) and the pc, a DWARF code address, that picks location-list entries.
/// </summary>
public sealed class FrameState
{
    private readonly Func<FrameState, Location>? _frameBase;
    private Location? _frameBaseValue;

    public FrameState(CoreDump dump, CoreFrame? frame, ulong pc, Func<FrameState, Location>? frameBase)
    {
        ArgumentNullException.ThrowIfNull(dump);
        Dump = dump;
        Frame = frame;
        Pc = pc;
        _frameBase = frameBase;
    }

    public CoreDump Dump { get; }

    /// <summary>
    /// The index of the module's <c>__tls_base</c> global, when it has one (shared-memory builds);
    /// without it wasm-ld has lowered thread-local storage to ordinary data at fixed addresses.
    /// </summary>
    public uint? TlsBaseGlobal { get; init; }

    /// <summary>The dump's frame, or null when there is none (globals are evaluated without a frame).</summary>
    public CoreFrame? Frame { get; }

    public ulong Pc { get; }

    public uint InstanceIndex => Frame?.InstanceIndex ?? 0;

    /// <summary>Memory 0 of the frame's instance (wasm32 DWARF addresses linear memory 0).</summary>
    public CoreMemory? Memory => Dump.MemoryOf(InstanceIndex, 0);

    /// <summary>The frame base as a location (<see cref="Location.Unavailable"/> with the reason when unknown).</summary>
    public Location FrameBase => _frameBaseValue ??= _frameBase is null
        ? Location.Unavailable("the function has no frame base (DW_AT_frame_base)")
        : _frameBase(this);

    public CoreValue? Local(uint index, out string? reason)
    {
        reason = null;
        if (Frame is null)
        {
            reason = $"local {index} needs a frame";
            return null;
        }

        if (Frame.Locals.Count == 0)
        {
            reason = $"local {index} is missing in the dump (the dump records no locals for this frame)";
            return null;
        }

        if (index >= (uint)Frame.Locals.Count)
        {
            reason = $"local {index} is not in the dump (the frame has {Frame.Locals.Count} locals)";
            return null;
        }

        return Present(Frame.Locals[(int)index], $"local {index}", out reason);
    }

    public CoreValue? Global(uint index, out string? reason)
    {
        reason = null;
        if (Dump.GlobalOf(InstanceIndex, index) is not { } global)
        {
            reason = $"global {index} is not in the dump";
            return null;
        }

        return Present(global.Value, $"global {index}", out reason);
    }

    public CoreValue? StackValue(uint index, out string? reason)
    {
        reason = null;
        if (Frame is null || index >= (uint)Frame.Stack.Count)
        {
            reason = $"operand stack value {index} is not in the dump";
            return null;
        }

        return Present(Frame.Stack[(int)index], $"operand stack value {index}", out reason);
    }

    /// <summary>The value, or null with the reason when the dump marks it missing (0x01).</summary>
    private static CoreValue? Present(CoreValue value, string what, out string? reason)
    {
        reason = value.IsMissing ? $"{what} is missing in the dump" : null;
        return value.IsMissing ? null : value;
    }
}
