namespace Dwarfsmith.Wasm;

/// <summary>
/// Extensions beyond WebAssembly 2.0 that the reader and validator accept. The default accepts
/// everything Dwarfsmith understands (what clang and wasm-ld emit and a little more);
/// <see cref="Wasm2"/> is the strict WebAssembly 2.0 core the spec tests expect.
/// </summary>
[Flags]
public enum WasmFeatures
{
    Wasm2 = 0,
    /// <summary>Shared memories (limits flag 3) and atomic instructions.</summary>
    Threads = 1 << 0,
    /// <summary>64-bit memory indices (limits flags 4–7).</summary>
    Memory64 = 1 << 1,
    /// <summary>Tag section, try/catch/throw (legacy and try_table).</summary>
    ExceptionHandling = 1 << 2,
    TailCall = 1 << 3,
    /// <summary>More than one memory, and memarg memory indices.</summary>
    MultiMemory = 1 << 4,
    /// <summary>i32/i64 add, sub and mul in constant expressions.</summary>
    ExtendedConst = 1 << 5,
    RelaxedSimd = 1 << 6,
    All = Threads | Memory64 | ExceptionHandling | TailCall | MultiMemory | ExtendedConst | RelaxedSimd,
}
