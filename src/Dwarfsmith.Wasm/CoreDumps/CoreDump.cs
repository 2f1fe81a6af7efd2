namespace Dwarfsmith.Wasm.CoreDumps;

/// <summary>
/// A WebAssembly core dump (tool-conventions Coredump.md): the process's name, the modules and
/// instances it ran, one stack per thread, and the state of its memories and globals. Read with
/// <see cref="CoreDumpReader"/>, written with <see cref="CoreDumpWriter"/>.
/// </summary>
public sealed class CoreDump
{
    /// <summary>The name in the <c>core</c> section (the executable or module the process ran).</summary>
    public required string ExecutableName { get; init; }

    /// <summary>Module names of <c>coremodules</c>; empty when the producer wrote none.</summary>
    public IReadOnlyList<string> Modules { get; init; } = [];

    /// <summary>Entries of <c>coreinstances</c>; empty when the producer wrote none.</summary>
    public IReadOnlyList<CoreInstance> Instances { get; init; } = [];

    /// <summary>One per <c>corestack</c> section, in file order.</summary>
    public IReadOnlyList<CoreThread> Threads { get; init; } = [];

    /// <summary>The memories of the memory section with the bytes of the data section.</summary>
    public IReadOnlyList<CoreMemory> Memories { get; init; } = [];

    /// <summary>The globals of the global section, in index order.</summary>
    public IReadOnlyList<CoreGlobal> Globals { get; init; } = [];

    /// <summary>
    /// The memory an instance's memory index names: through <c>coreinstances</c> when the dump has it,
    /// else the dump's memory of that index (a single-instance dump without the section).
    /// </summary>
    public CoreMemory? MemoryOf(uint instanceIndex, uint memoryIndex)
    {
        var index = ResolveIndex(instanceIndex, memoryIndex, static i => i.Memories);
        return index < (uint)Memories.Count ? Memories[(int)index] : null;
    }

    /// <summary>The global an instance's global index names, as <see cref="MemoryOf"/>.</summary>
    public CoreGlobal? GlobalOf(uint instanceIndex, uint globalIndex)
    {
        var index = ResolveIndex(instanceIndex, globalIndex, static i => i.Globals);
        return index < (uint)Globals.Count ? Globals[(int)index] : null;
    }

    private uint ResolveIndex(uint instanceIndex, uint index, Func<CoreInstance, IReadOnlyList<uint>> map)
    {
        if (Instances.Count == 0)
            return index;
        if (instanceIndex >= (uint)Instances.Count)
            return uint.MaxValue;
        var list = map(Instances[(int)instanceIndex]);
        return index < (uint)list.Count ? list[(int)index] : uint.MaxValue;
    }
}
