namespace Dwarfsmith.Debugging.CoreDumps;

public enum VariableKind
{
    Parameter,
    Local,
    /// <summary>A function-static or file-static variable.</summary>
    Static,
    /// <summary>A variable with external linkage.</summary>
    Global,
}

/// <summary>
/// A variable as the reader shows it: C name, kind, gdb-style type name, and either the value as
/// gdb prints it or the reason it cannot be shown; <see cref="EntryOffset"/> is its entry's
/// .debug_info offset (what llvm-dwarfdump prints), for tools that compare with other readers.
/// </summary>
public sealed record SourceVariable(string Name, VariableKind Kind, string Type, string? Value, string? Unavailable)
{
    public long EntryOffset { get; init; }
}

/// <summary>
/// One frame of the backtrace, as gdb numbers them: every inlined call is a frame of its own,
/// innermost first, and shares the wasm frame's function index and code offset.
/// </summary>
/// <param name="Index">gdb's frame number.</param>
/// <param name="Function">The C function (or the wasm function's name when there is no DWARF for it).</param>
/// <param name="Inlined">The function was inlined into the next frame.</param>
/// <param name="File">Source file (null when unknown).</param>
/// <param name="Line">Line (0 when unknown).</param>
/// <param name="Column">Column (0 when unknown).</param>
/// <param name="FunctionIndex">The wasm function index of the dump's frame.</param>
/// <param name="CodeOffset">The dump's code offset, relative to the function's start.</param>
/// <param name="Pc">The DWARF code address: the body's code-section offset plus <paramref name="CodeOffset"/>.</param>
/// <param name="Variables">Parameters in order, then locals (innermost scope first), then function statics.</param>
/// <param name="Note">Why the frame has no source information, when it has none.</param>
public sealed record SourceFrame(
    int Index,
    string Function,
    bool Inlined,
    string? File,
    ulong Line,
    ulong Column,
    uint FunctionIndex,
    uint CodeOffset,
    ulong? Pc,
    IReadOnlyList<SourceVariable> Variables,
    string? Note)
{
    public IEnumerable<SourceVariable> Parameters => Variables.Where(v => v.Kind == VariableKind.Parameter);
}

/// <summary>What a core dump shows at the source level: the first thread's frames, and the program's globals and file statics.</summary>
public sealed record CoreDumpReport(string Module, string Thread, IReadOnlyList<SourceFrame> Frames, IReadOnlyList<SourceVariable> Globals);
