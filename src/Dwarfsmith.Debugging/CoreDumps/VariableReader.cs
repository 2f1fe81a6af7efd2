using System.Buffers.Binary;
using Dwarfsmith.Debugging.Locations;
using Dwarfsmith.Debugging.Symbols;
using Dwarfsmith.Debugging.Types;
using Dwarfsmith.Debugging.Values;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Expressions;

namespace Dwarfsmith.Debugging.CoreDumps;

/// <summary>Reads a variable or parameter entry's value in a frame: its constant value, or its location evaluated.</summary>
internal sealed class VariableReader(DieTree tree, TypeReader types)
{
    public DieTree Tree => tree;

    public TypeReader Types => types;

    public CType? TypeOf(Die variable) => types.TypeOf(variable);

    public SourceValue Read(Die variable, FrameState frame)
    {
        var type = TypeOf(variable);
        if (variable.TryGet(DwAt.DW_AT_const_value, out var constant))
        {
            var size = (int)(type?.ByteSize ?? 8);
            var bytes = new byte[size];
            if (constant.IsBlock)
            {
                constant.Bytes[..Math.Min(size, constant.Bytes.Length)].CopyTo(bytes);
            }
            else
            {
                Span<byte> raw = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(raw, constant.Value);
                raw[..Math.Min(8, size)].CopyTo(bytes);
            }

            return SourceValue.Known(type, bytes);
        }

        if (!variable.TryGet(DwAt.DW_AT_location, out var location))
            return SourceValue.NotAvailable(type, "optimized out (no location)");
        var where = LocationEvaluator.EvaluateAttribute(variable.Unit, location, frame);
        return ValueReader.Read(where, type, frame.Memory);
    }

    /// <summary>True for a variable whose location is a linear-memory address fixed at link time (a static or a global).</summary>
    public static bool IsStatic(Die variable) =>
        FirstOperation(variable) is { Op: DwOp.DW_OP_addr or DwOp.DW_OP_addrx };

    /// <summary>A variable whose DW_OP_addr the linker tombstoned: it is not in the program.</summary>
    public static bool IsRemoved(Die variable) =>
        FirstOperation(variable) is { Op: DwOp.DW_OP_addr } op && LocationEvaluator.IsRemoved(op.Operand1, variable.Unit.AddressSize);

    /// <summary>The first operation of a variable's location expression (null for none, a list, or malformed bytes).</summary>
    private static DwarfOperation? FirstOperation(Die variable)
    {
        if (!variable.TryGet(DwAt.DW_AT_location, out var location) || !location.IsBlock)
            return null;
        try
        {
            var ops = DwarfExpression.DecodeAll(location.Memory, variable.Unit.Encoding);
            return ops.Count > 0 ? ops[0] : null;
        }
        catch (DwarfFormatException)
        {
            return null;
        }
    }

    /// <summary>The frame base of a subprogram (its DW_AT_frame_base, evaluated without a frame base).</summary>
    public static Location FrameBase(Die subprogram, FrameState frame) =>
        subprogram.TryGet(DwAt.DW_AT_frame_base, out var attribute)
            ? LocationEvaluator.EvaluateAttribute(subprogram.Unit, attribute, new FrameState(frame.Dump, frame.Frame, frame.Pc, null) { TlsBaseGlobal = frame.TlsBaseGlobal })
            : Location.Unavailable("the function has no DW_AT_frame_base");
}
