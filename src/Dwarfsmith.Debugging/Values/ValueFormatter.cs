using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Dwarfsmith.Debugging.Types;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Wasm.CoreDumps;

namespace Dwarfsmith.Debugging.Values;

/// <summary>
/// Prints values as gdb does: integers in decimal, characters as <c>65 'A'</c>, floats with 9 or
/// 17 significant digits, enumerators by name, structs as <c>{a = 1, b = 2}</c>, arrays with runs
/// of more than 10 equal elements as <c>&lt;repeats N times&gt;</c>, char arrays and <c>char *</c> as
/// strings (followed into the dump's memory), pointers in hex, function pointers with the function's
/// name. Top-level pointers carry their type, as gdb's <c>print</c> shows them.
/// </summary>
public sealed class ValueFormatter
{
    private const int RepeatThreshold = 10;
    private const int PrintMax = 200;

    private readonly CoreMemory? _memory;
    private readonly Func<ulong, string?> _functionName;

    /// <param name="memory">The memory pointers are followed into.</param>
    /// <param name="functionName">The name of the function a function pointer (a table index) calls, if known.</param>
    public ValueFormatter(CoreMemory? memory, Func<ulong, string?> functionName)
    {
        _memory = memory;
        _functionName = functionName;
    }

    /// <summary>The value as <c>info locals</c> and <c>bt</c> show it.</summary>
    public string Format(SourceValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Bytes is { } bytes ? Format(value.Type, bytes, value.Unknown, 0) : $"<unavailable: {value.Unavailable}>";
    }

    /// <summary>The value as gdb's <c>print</c> shows it: a pointer with its type in front.</summary>
    public string FormatTopLevel(SourceValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = Format(value);
        var stripped = value.Type?.Strip();
        if (value.IsAvailable && stripped?.Kind == CTypeKind.Pointer && !IsCharPointer(stripped))
            return $"({TypeNames.Of(value.Type)}) {text}";
        return text;
    }

    /// <param name="type">The value's type.</param>
    /// <param name="bytes">Its bytes.</param>
    /// <param name="unknown">Which bytes are unknown (empty: all known): a scalar with any of them is <c>&lt;optimized out&gt;</c>, as gdb shows a part of a variable in pieces.</param>
    /// <param name="depth">Nesting, bounded against cyclic types.</param>
    private string Format(CType? type, ReadOnlySpan<byte> bytes, ReadOnlySpan<bool> unknown, int depth)
    {
        if (type is null)
            return "void";
        if (depth > 16)
            return "...";
        var t = type.Strip();
        if ((ulong)bytes.Length < t.ByteSize)
            return "<incomplete value>";
        var scalar = t.Kind is not (CTypeKind.Struct or CTypeKind.Union or CTypeKind.Array);
        if (scalar && unknown.Length > 0 && unknown[..Math.Min(unknown.Length, (int)t.ByteSize)].Contains(true))
            return "<optimized out>";
        switch (t.Kind)
        {
            case CTypeKind.Base:
                return FormatBase(t, bytes);
            case CTypeKind.Enum:
            {
                var raw = Integer(bytes[..(int)t.ByteSize], t.Target?.Strip().IsSigned ?? true);
                foreach (var (name, value) in t.Enumerators)
                {
                    if (value == raw)
                        return name;
                }

                return raw.ToString(CultureInfo.InvariantCulture);
            }

            case CTypeKind.Pointer:
                return FormatPointer(t, (ulong)Integer(bytes[..(int)Math.Min(8, t.ByteSize)], signed: false) & ValueReader.AddressMask);
            case CTypeKind.Struct or CTypeKind.Union:
            {
                var parts = new List<string>();
                foreach (var member in t.Members)
                {
                    var text = FormatMember(member, bytes, unknown, depth);
                    parts.Add(member.Name is null ? text : $"{member.Name} = {text}");
                }

                return "{" + string.Join(", ", parts) + "}";
            }

            case CTypeKind.Array:
                return FormatArray(t, bytes, unknown, depth);
            case CTypeKind.Function:
                return "{" + TypeNames.Of(t) + "}";
            default:
                return "void";
        }
    }

    private string FormatMember(CMember member, ReadOnlySpan<byte> bytes, ReadOnlySpan<bool> unknown, int depth)
    {
        var size = member.Type.Strip().ByteSize;
        if (member.BitSize == 0)
        {
            return member.Offset + size <= (ulong)bytes.Length
                ? Format(member.Type, bytes.Slice((int)member.Offset, (int)size), Slice(unknown, (int)member.Offset, (int)size), depth + 1)
                : "<member outside the object>";
        }

        var bitBytes = (member.BitOffset + member.BitSize + 7) / 8;
        if (Slice(unknown, (int)member.Offset, bitBytes).Contains(true))
            return "<optimized out>";

        // A bit field: the bits from the member's byte offset, little-endian.
        Span<byte> window = stackalloc byte[8];
        window.Clear();
        var available = Math.Min(8, bytes.Length - (int)Math.Min(member.Offset, (ulong)bytes.Length));
        bytes.Slice((int)member.Offset, available).CopyTo(window);
        var raw = BinaryPrimitives.ReadUInt64LittleEndian(window) >> member.BitOffset;
        var mask = member.BitSize >= 64 ? ulong.MaxValue : (1UL << member.BitSize) - 1;
        raw &= mask;
        var memberType = member.Type.Strip();
        if ((memberType.IsSigned || memberType.Kind == CTypeKind.Enum) && member.BitSize < 64 && (raw >> (member.BitSize - 1) & 1) != 0)
            raw |= ~mask;
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(value, raw);
        return Format(member.Type, value[..(int)Math.Min(8, Math.Max(1, size))], [], depth + 1);
    }

    /// <summary>The part of an unknown-bytes mask for a part of the value (empty stays empty: all known).</summary>
    private static ReadOnlySpan<bool> Slice(ReadOnlySpan<bool> unknown, int start, int length) =>
        unknown.IsEmpty ? unknown : unknown.Slice(Math.Min(start, unknown.Length), Math.Max(0, Math.Min(length, unknown.Length - start)));

    private static string FormatBase(CType t, ReadOnlySpan<byte> bytes)
    {
        var size = (int)t.ByteSize;
        switch (t.Encoding)
        {
            case DwAte.DW_ATE_boolean:
            {
                var raw = Integer(bytes[..size], signed: false);
                return raw switch { 0 => "false", 1 => "true", _ => raw.ToString(CultureInfo.InvariantCulture) };
            }

            case DwAte.DW_ATE_float:
                return size switch
                {
                    4 => FormatFloat(BinaryPrimitives.ReadSingleLittleEndian(bytes), 9, BinaryPrimitives.ReadUInt32LittleEndian(bytes) & 0x7FFFFF),
                    8 => FormatFloat(BinaryPrimitives.ReadDoubleLittleEndian(bytes), 17, BinaryPrimitives.ReadUInt64LittleEndian(bytes) & 0xFFFFFFFFFFFFF),
                    _ => $"<unsupported: a {size}-byte float>",
                };
            case DwAte.DW_ATE_signed_char or DwAte.DW_ATE_unsigned_char when size == 1:
            {
                var raw = Integer(bytes[..1], t.Encoding == DwAte.DW_ATE_signed_char);
                return $"{raw} '{Escape(bytes[0], '\'')}'";
            }

            default:
                if (size is < 1 or > 8)
                    return $"<unsupported: a {size}-byte integer>";
                var signed = t.IsSigned;
                return signed
                    ? Integer(bytes[..size], true).ToString(CultureInfo.InvariantCulture)
                    : ((ulong)Integer(bytes[..size], false)).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>gdb's %g with FLT_DIG+3 or DBL_DIG+3 digits; NaNs with their mantissa, as gdb prints them.</summary>
    private static string FormatFloat(double value, int digits, ulong mantissa)
    {
        if (double.IsNaN(value))
            return $"{(BitConverter.DoubleToInt64Bits(value) < 0 ? "-" : "")}nan(0x{mantissa:x})";
        if (double.IsInfinity(value))
            return value < 0 ? "-inf" : "inf";
        return value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
    }

    private string FormatPointer(CType pointer, ulong address)
    {
        var text = $"0x{address:x}";
        var target = pointer.Target?.Strip();
        if (target?.Kind == CTypeKind.Function)
            return _functionName(address) is { } name ? $"{text} <{name}>" : text;
        if (address != 0 && IsCharPointer(pointer))
            return $"{text} {ReadString(address)}";
        return text;
    }

    private static bool IsCharPointer(CType pointer) => pointer.Kind == CTypeKind.Pointer && pointer.Target?.Strip().IsCharacter == true;

    /// <summary>A NUL-terminated string in memory, at most 200 characters, as gdb quotes it.</summary>
    private string ReadString(ulong address)
    {
        if (_memory is null)
            return $"<error: Cannot access memory at address 0x{address:x}>";
        var chars = new List<byte>();
        Span<byte> one = stackalloc byte[1];
        for (ulong i = 0; i < PrintMax; i++)
        {
            if (!_memory.TryRead(address + i, one))
                return chars.Count == 0 ? $"<error: Cannot access memory at address 0x{address:x}>" : Characters([.. chars]) + "<error: Cannot access memory at address 0x" + (address + i).ToString("x", CultureInfo.InvariantCulture) + ">";
            if (one[0] == 0)
                return Characters([.. chars]);
            chars.Add(one[0]);
        }

        return Characters([.. chars]) + "...";
    }

    private string FormatArray(CType t, ReadOnlySpan<byte> bytes, ReadOnlySpan<bool> unknown, int depth)
    {
        var element = t.Target;
        var elementSize = (int)(t.ByteSize / Math.Max(1, t.Dimensions.Count == 0 ? 1 : t.Dimensions[0]));
        var count = t.Dimensions.Count == 0 ? 0 : (int)Math.Min(t.Dimensions[0], int.MaxValue);
        if (count == 0)
            return "{}";
        // An array of arrays: the outer dimension's elements are arrays of the remaining dimensions.
        if (t.Dimensions.Count > 1)
        {
            var inner = new CType { Kind = CTypeKind.Array, Target = element, ByteSize = (ulong)elementSize };
            inner.Dimensions.AddRange(t.Dimensions.Skip(1));
            element = inner;
        }

        if (element?.Strip().IsCharacter == true && t.Dimensions.Count == 1 && !unknown.Contains(true))
            return CharArray(bytes[..count]);
        var items = new List<string>();
        for (int i = 0; i < count && items.Count < PrintMax; i++)
            items.Add(Format(element, bytes.Slice(i * elementSize, elementSize), Slice(unknown, i * elementSize, elementSize), depth + 1));
        var runs = new List<string>();
        for (int i = 0; i < items.Count;)
        {
            int j = i;
            while (j < items.Count && items[j] == items[i])
                j++;
            if (j - i > RepeatThreshold)
            {
                runs.Add($"{items[i]} <repeats {j - i} times>");
            }
            else
            {
                for (int k = i; k < j; k++)
                    runs.Add(items[k]);
            }

            i = j;
        }

        return "{" + string.Join(", ", runs) + (count > PrintMax ? "..." : "") + "}";
    }

    /// <summary>
    /// gdb's char array: the last NUL is the terminator and not shown; runs of more than 10 equal
    /// characters become <c>'c' &lt;repeats N times&gt;</c>, the rest are quoted together.
    /// </summary>
    private static string CharArray(ReadOnlySpan<byte> chars)
    {
        if (chars.Length > 0 && chars[^1] == 0)
            chars = chars[..^1];
        return Characters(chars);
    }

    /// <summary>Characters as gdb prints a string (of an array or behind a <c>char *</c>): quoted runs, and runs of more than 10 equal characters as repeats.</summary>
    private static string Characters(ReadOnlySpan<byte> chars)
    {
        if (chars.Length == 0)
            return "\"\"";
        var segments = new List<string>();
        var quoted = new List<byte>();
        int i = 0;
        while (i < chars.Length && i < PrintMax)
        {
            int j = i;
            while (j < chars.Length && chars[j] == chars[i])
                j++;
            if (j - i > RepeatThreshold)
            {
                if (quoted.Count > 0)
                {
                    segments.Add(Quote(quoted));
                    quoted.Clear();
                }

                segments.Add($"'{Escape(chars[i], '\'')}' <repeats {j - i} times>");
            }
            else
            {
                for (int k = i; k < j; k++)
                    quoted.Add(chars[k]);
            }

            i = j;
        }

        if (quoted.Count > 0)
            segments.Add(Quote(quoted));
        return string.Join(", ", segments) + (i < chars.Length ? "..." : "");
    }

    private static string Quote(List<byte> chars)
    {
        var text = new StringBuilder("\"");
        foreach (var c in chars)
            text.Append(Escape(c, '"'));
        return text.Append('"').ToString();
    }

    private static string Escape(byte c, char quote) => c switch
    {
        (byte)'\n' => "\\n",
        (byte)'\t' => "\\t",
        (byte)'\r' => "\\r",
        (byte)'\a' => "\\a",
        (byte)'\b' => "\\b",
        (byte)'\f' => "\\f",
        (byte)'\v' => "\\v",
        0x1B => "\\033",
        (byte)'\\' => "\\\\",
        _ when c == quote => "\\" + quote,
        _ when c is < 0x20 or >= 0x7F => "\\" + Convert.ToString(c, 8).PadLeft(3, '0'),
        _ => ((char)c).ToString(),
    };

    private static long Integer(ReadOnlySpan<byte> bytes, bool signed)
    {
        Span<byte> buffer = stackalloc byte[8];
        var fill = signed && bytes.Length > 0 && (bytes[^1] & 0x80) != 0 ? (byte)0xFF : (byte)0;
        buffer.Fill(fill);
        bytes[..Math.Min(8, bytes.Length)].CopyTo(buffer);
        return BinaryPrimitives.ReadInt64LittleEndian(buffer);
    }
}
