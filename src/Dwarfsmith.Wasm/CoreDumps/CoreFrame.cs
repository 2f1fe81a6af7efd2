namespace Dwarfsmith.Wasm.CoreDumps;

/// <summary>
/// One frame of a <c>corestack</c>. <see cref="CodeOffset"/> is relative to the function's start
/// (the first byte of its body after the body-size LEB, the function's DWARF low_pc), so a frame's
/// DWARF address is <see cref="FunctionBody.CodeOffset"/> + <see cref="CodeOffset"/>.
/// </summary>
/// <param name="InstanceIndex">Index into <see cref="CoreDump.Instances"/> (meaningless when a producer wrote no <c>coreinstances</c>).</param>
/// <param name="FunctionIndex">The module's function index, imported functions counted.</param>
/// <param name="CodeOffset">Offset of the trapping or calling instruction from the function's start.</param>
/// <param name="Locals">The frame's wasm locals (parameters first), possibly empty (Wasmtime writes none).</param>
/// <param name="Stack">The frame's operand stack, bottom first, possibly empty.</param>
public sealed record CoreFrame(uint InstanceIndex, uint FunctionIndex, uint CodeOffset, IReadOnlyList<CoreValue> Locals, IReadOnlyList<CoreValue> Stack);

/// <summary>One <c>corestack</c> section: a thread's name and its frames, youngest first.</summary>
public sealed record CoreThread(string Name, IReadOnlyList<CoreFrame> Frames);

/// <summary>
/// One entry of <c>coreinstances</c>: the module it instantiates and which of the dump's memories
/// and globals are its own, by the instance's memory and global index.
/// </summary>
public sealed record CoreInstance(uint ModuleIndex, IReadOnlyList<uint> Memories, IReadOnlyList<uint> Globals);

/// <summary>A global of the dump: its type and its value at the time of the dump.</summary>
public sealed record CoreGlobal(ValueType Type, CoreValue Value);
