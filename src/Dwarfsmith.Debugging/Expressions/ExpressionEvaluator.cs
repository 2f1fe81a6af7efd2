using System.Buffers.Binary;
using Dwarfsmith.Debugging.Types;
using Dwarfsmith.Debugging.Values;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Debugging.Expressions;

/// <summary>
/// Evaluates a <see cref="CExpression"/> to a <see cref="SourceValue"/>: names through the frame's
/// lookup, members and elements by their types' layout, pointers followed into the dump's memory.
/// An operand that is unavailable makes the result unavailable with its reason.
/// </summary>
public sealed class ExpressionEvaluator(Func<string, SourceValue?> lookup, CoreMemory? memory, Unit? unit)
{
    private static readonly CType Int = new() { Kind = CTypeKind.Base, Name = "int", ByteSize = 4, Encoding = DwAte.DW_ATE_signed };
    private static readonly CType Long = new() { Kind = CTypeKind.Base, Name = "long long", ByteSize = 8, Encoding = DwAte.DW_ATE_signed };

    private int AddressSize => unit?.AddressSize ?? 4;

    public SourceValue Evaluate(CExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        switch (expression)
        {
            case NameExpression name:
                return lookup(name.Name) ?? throw new ExpressionException($"No symbol \"{name.Name}\" in current context.");
            case IntegerExpression integer:
                return integer.Value is >= int.MinValue and <= int.MaxValue
                    ? SourceValue.Known(Int, Bytes(integer.Value, 4))
                    : SourceValue.Known(Long, Bytes(integer.Value, 8));
            case MemberExpression member:
                return Member(member);
            case IndexExpression index:
                return Index(Evaluate(index.Base), Evaluate(index.Index));
            case UnaryExpression { Operator: '*' } unary:
                return Dereference(Evaluate(unary.Operand));
            case UnaryExpression { Operator: '&' } unary:
                return AddressOf(Evaluate(unary.Operand));
            case UnaryExpression unary:
                return Negate(Evaluate(unary.Operand));
            default:
                throw new ExpressionException("unsupported expression");
        }
    }

    private SourceValue Member(MemberExpression expression)
    {
        var value = Evaluate(expression.Base);
        if (expression.ThroughPointer)
        {
            if (value.Type?.Strip().Kind != CTypeKind.Pointer)
                throw new ExpressionException($"The -> operator needs a pointer, not {TypeNames.Of(value.Type)}.");
            value = Dereference(value);
        }

        var type = value.Type?.Strip();
        if (type?.Kind is not (CTypeKind.Struct or CTypeKind.Union))
            throw new ExpressionException($"Attempt to extract a component of a value that is not a structure{(expression.ThroughPointer ? " pointer" : "")}.");
        var member = type.Members.Find(m => m.Name == expression.Member)
            ?? throw new ExpressionException($"There is no member named {expression.Member}.");
        if (member.BitSize != 0)
            throw new ExpressionException($"{expression.Member} is a bit field, which print does not take apart here.");
        var address = value.Address + member.Offset;
        if (value.Bytes is not { } bytes)
            return SourceValue.NotAvailable(member.Type, value.Unavailable!, address);
        var size = (int)member.Type.ByteSize;
        if ((ulong)bytes.Length < member.Offset + (ulong)size)
            return SourceValue.NotAvailable(member.Type, "the member lies outside the object", address);
        return Part(value, member.Type, (int)member.Offset, size, address);
    }

    private SourceValue Index(SourceValue array, SourceValue index)
    {
        var i = Integer(index);
        var type = array.Type?.Strip();
        if (type?.Kind == CTypeKind.Pointer)
            return Element(type.Target, Pointer(array), i);
        if (type?.Kind != CTypeKind.Array)
            throw new ExpressionException("cannot subscript something of type `" + TypeNames.Of(array.Type) + "'");
        var element = ElementType(type);
        var size = (long)element.ByteSize;
        if (array.Address is { } address)
            return Element(element, address, i);
        if (array.Bytes is not { } bytes)
            return SourceValue.NotAvailable(element, array.Unavailable!);
        return i >= 0 && (i + 1) * size <= bytes.Length
            ? Part(array, element, (int)(i * size), (int)size, null)
            : throw new ExpressionException($"no such vector element ({i})");
    }

    /// <summary>A member or element of a value: its bytes, unavailable when a location in pieces left any of them unknown.</summary>
    private static SourceValue Part(SourceValue whole, CType type, int offset, int size, ulong? address)
    {
        if (whole.Unknown is { } unknown && unknown.AsSpan(offset, size).Contains(true))
            return SourceValue.NotAvailable(type, "optimized out (this part of the variable has no location here)", address);
        return SourceValue.Known(type, whole.Bytes!.AsSpan(offset, size).ToArray(), address);
    }

    private SourceValue Element(CType? element, ulong address, long index) =>
        ValueReader.FromMemory(element, (address + (ulong)(index * (long)(element?.ByteSize ?? 1))) & ValueReader.AddressMask, memory);

    /// <summary>The element type of an array, an array itself for the inner dimensions.</summary>
    private static CType ElementType(CType array)
    {
        var element = array.Target ?? new CType { Kind = CTypeKind.Void };
        if (array.Dimensions.Count <= 1)
            return element;
        var inner = new CType { Kind = CTypeKind.Array, Target = element, ByteSize = array.ByteSize / Math.Max(1, array.Dimensions[0]) };
        inner.Dimensions.AddRange(array.Dimensions.Skip(1));
        return inner;
    }

    private SourceValue Dereference(SourceValue value)
    {
        var type = value.Type?.Strip();
        if (type?.Kind == CTypeKind.Array)
            return Index(value, SourceValue.Known(Int, Bytes(0, 4)));
        if (type?.Kind != CTypeKind.Pointer)
            throw new ExpressionException("Attempt to take contents of a non-pointer value.");
        if (type.Target is null || type.Target.Strip().Kind is CTypeKind.Void or CTypeKind.Function)
            throw new ExpressionException("Attempt to take contents of a non-pointer value.");
        return ValueReader.FromMemory(type.Target, Pointer(value), memory);
    }

    private SourceValue AddressOf(SourceValue value)
    {
        if (value.Address is not { } address)
            throw new ExpressionException("Attempt to take address of value not located in memory.");
        var pointer = new CType { Kind = CTypeKind.Pointer, Target = value.Type, ByteSize = (ulong)AddressSize };
        return SourceValue.Known(pointer, Bytes((long)address, AddressSize));
    }

    private static SourceValue Negate(SourceValue value)
    {
        var type = value.Type?.Strip();
        if (type?.Kind != CTypeKind.Base || type.Encoding == DwAte.DW_ATE_float)
            throw new ExpressionException("Argument to arithmetic operation not a number or boolean.");
        var result = -Integer(value);
        return type.ByteSize <= 4 ? SourceValue.Known(Int, Bytes(result, 4)) : SourceValue.Known(Long, Bytes(result, 8));
    }

    private static ulong Pointer(SourceValue value)
    {
        if (value.Bytes is not { } bytes)
            throw new ExpressionException($"the pointer's value is unavailable: {value.Unavailable}");
        if (value.Unknown is { } unknown && unknown.Contains(true))
            throw new ExpressionException("the pointer's value is optimized out");
        Span<byte> buffer = stackalloc byte[8];
        buffer.Clear();
        bytes.AsSpan(0, Math.Min(8, bytes.Length)).CopyTo(buffer);
        return BinaryPrimitives.ReadUInt64LittleEndian(buffer) & ValueReader.AddressMask;
    }

    private static long Integer(SourceValue value)
    {
        var type = value.Type?.Strip();
        if (type?.Kind is not (CTypeKind.Base or CTypeKind.Enum) || type.Encoding == DwAte.DW_ATE_float)
            throw new ExpressionException("the index is not an integer");
        if (value.Bytes is not { } bytes)
            throw new ExpressionException($"the value is unavailable: {value.Unavailable}");
        if (value.Unknown is { } unknown && unknown.Contains(true))
            throw new ExpressionException("the value is optimized out");
        Span<byte> buffer = stackalloc byte[8];
        var signed = type.IsSigned || type.Kind == CTypeKind.Enum;
        buffer.Fill(signed && bytes.Length > 0 && (bytes[^1] & 0x80) != 0 ? (byte)0xFF : (byte)0);
        bytes.AsSpan(0, Math.Min(8, bytes.Length)).CopyTo(buffer);
        return BinaryPrimitives.ReadInt64LittleEndian(buffer);
    }

    private static byte[] Bytes(long value, int size)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes[..size];
    }
}
