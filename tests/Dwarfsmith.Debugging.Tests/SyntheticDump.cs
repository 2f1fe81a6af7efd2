using System.Buffers.Binary;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.CoreDumps;
using ValueType = Dwarfsmith.Wasm.ValueType;

namespace Dwarfsmith.Debugging.Tests;

/// <summary>
/// Builds core dumps of a real module as a trapping engine would write them: memory starts as the
/// module's data segments, globals as its initializers; the test places frames at code offsets it
/// finds in the module's own line table and writes the locals and memory the frame should hold.
/// </summary>
internal sealed class SyntheticDump
{
    private readonly WasmModule _module;
    private readonly List<CoreFrame> _frames = [];

    public SyntheticDump(WasmModule module)
    {
        _module = module;
        var pages = module.Memories.Count > 0 ? module.Memories[0].Limits.Minimum : 1;
        Memory = new byte[pages * CoreMemory.PageSize];
        foreach (var segment in module.Data)
        {
            if (segment.Mode == SegmentMode.Active && segment.Offset!.TryGetI32Constant(out var at))
                segment.Data.Span.CopyTo(Memory.AsSpan(at));
        }

        foreach (var global in module.Globals)
        {
            var reader = new WasmReader(global.Init.Bytes.Span, 0, "init");
            Globals.Add(reader.ReadByte() switch
            {
                0x41 => new CoreGlobal(ValueType.I32, CoreValue.I32(reader.ReadVarInt32())),
                0x42 => new CoreGlobal(ValueType.I64, CoreValue.I64(reader.ReadVarInt64())),
                _ => new CoreGlobal(global.Type.ValueType, CoreValue.Missing),
            });
        }
    }

    public byte[] Memory { get; }

    public List<CoreGlobal> Globals { get; } = [];

    public void WriteInt32(uint address, int value) => BinaryPrimitives.WriteInt32LittleEndian(Memory.AsSpan((int)address), value);

    /// <summary>A frame at a DWARF code address, with the locals given (the rest of the function's locals zero, or all missing).</summary>
    public CoreFrame AddFrame(ulong address, IReadOnlyDictionary<int, CoreValue>? locals = null, bool withLocals = true)
    {
        if (!_module.TryFindBodyByCodeOffset((uint)address, out var body))
            throw new ArgumentException($"0x{address:X} is in no function");
        var values = new List<CoreValue>();
        if (withLocals)
        {
            _module.TryGetFunctionType(body.FunctionIndex, out var type);
            var types = type!.Parameters.ToList();
            foreach (var declaration in body.Locals)
                types.AddRange(Enumerable.Repeat(declaration.Type, (int)declaration.Count));
            for (int i = 0; i < types.Count; i++)
            {
                values.Add(locals is not null && locals.TryGetValue(i, out var given) ? given : types[i] switch
                {
                    ValueType.I64 => CoreValue.I64(0),
                    ValueType.F32 => CoreValue.F32(0),
                    ValueType.F64 => CoreValue.F64(0),
                    _ => CoreValue.I32(0),
                });
            }
        }

        var frame = new CoreFrame(0, body.FunctionIndex, (uint)(address - body.CodeOffset), values, []);
        _frames.Add(frame);
        return frame;
    }

    /// <summary>Replaces the frame added last (to give it other locals or an operand stack).</summary>
    public void ReplaceLastFrame(CoreFrame frame) => _frames[^1] = frame;

    public CoreDump Build(string name = "program.wasm") => new()
    {
        ExecutableName = name,
        Modules = [name],
        Instances = [new CoreInstance(0, [0], [.. Enumerable.Range(0, Globals.Count).Select(i => (uint)i)])],
        Threads = [new CoreThread("main", [.. _frames])],
        Memories = [CoreMemory.FromImage(Memory, (ulong)Memory.Length / CoreMemory.PageSize)],
        Globals = Globals,
    };

    /// <summary>The address of the first is_stmt row of a line in the module's line tables, inside the named function when given.</summary>
    public static ulong AddressOfLine(WasmModule module, int line, ulong? within = null, ulong withinEnd = ulong.MaxValue)
    {
        var context = new DwarfContext(DwarfContainers.FromWasm(module));
        foreach (var unit in context.Units)
        {
            if (unit.ReadLineProgram() is not { } program)
                continue;
            foreach (var row in program.ReadRows())
            {
                if (row.Line == (ulong)line && row.IsStmt && !row.EndSequence && row.Address != 0
                    && (within is null || (row.Address >= within && row.Address < withinEnd)))
                    return row.Address;
            }
        }

        throw new ArgumentException($"no line-table row for line {line}");
    }

    /// <summary>The [low, high) code range of a subprogram by name.</summary>
    public static (ulong Low, ulong High) FunctionRange(WasmModule module, string name)
    {
        var context = new DwarfContext(DwarfContainers.FromWasm(module));
        foreach (var unit in context.Units)
        {
            var cursor = unit.Entries();
            while (cursor.MoveNext())
            {
                if (cursor.IsNull || cursor.Tag != Dwarf.DwTag.DW_TAG_subprogram || !cursor.TryGetAttribute(Dwarf.DwAt.DW_AT_name, out var n) || unit.GetString(n) != name)
                    continue;
                if (cursor.TryGetPcRange(out var low, out var high) && low != 0)
                    return (low, high);
            }
        }

        throw new ArgumentException($"no subprogram {name} with code");
    }
}
