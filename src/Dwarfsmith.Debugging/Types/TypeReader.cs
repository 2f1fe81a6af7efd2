using Dwarfsmith.Debugging.Symbols;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Dwarf.Expressions;

namespace Dwarfsmith.Debugging.Types;

/// <summary>Reads <see cref="CType"/>s from type entries, once per entry (recursive types share the object).</summary>
public sealed class TypeReader
{
    private readonly DieTree _tree;
    private readonly Dictionary<long, CType> _cache = [];
    private Dictionary<(DwTag, string), Die>? _definitions;

    public TypeReader(DieTree tree) => _tree = tree;

    /// <summary>The type of a variable, parameter or member entry (null = void or none).</summary>
    public CType? TypeOf(Die die) => _tree.TypeOf(die) is { } type ? Read(type) : null;

    public CType Read(Die die)
    {
        ArgumentNullException.ThrowIfNull(die);
        if (_cache.TryGetValue(die.Offset, out var cached))
            return cached;
        // An opaque struct (a declaration in this unit) is read as its definition in another unit, as gdb does.
        if (die.Flag(DwAt.DW_AT_declaration) && die.Tag is DwTag.DW_TAG_structure_type or DwTag.DW_TAG_union_type or DwTag.DW_TAG_class_type or DwTag.DW_TAG_enumeration_type
            && die.Name is { } name && Definition(die.Tag, name) is { } definition)
        {
            var complete = Read(definition);
            _cache[die.Offset] = complete;
            return complete;
        }

        var type = new CType
        {
            Kind = KindOf(die.Tag),
            Name = die.Name,
            Encoding = (DwAte)(die.Constant(DwAt.DW_AT_encoding) ?? 0),
            Qualifier = die.Tag switch
            {
                DwTag.DW_TAG_const_type => "const",
                DwTag.DW_TAG_volatile_type => "volatile",
                DwTag.DW_TAG_restrict_type => "restrict",
                DwTag.DW_TAG_atomic_type => "_Atomic",
                _ => null,
            },
        };
        _cache[die.Offset] = type; // before the parts: a struct may point to itself
        type.Target = _tree.TypeOf(die) is { } target ? Read(target) : null;
        switch (type.Kind)
        {
            case CTypeKind.Struct or CTypeKind.Union:
                ReadMembers(die, type);
                break;
            case CTypeKind.Array:
                foreach (var child in die.Children)
                {
                    if (child.Tag is DwTag.DW_TAG_subrange_type or DwTag.DW_TAG_enumeration_type)
                        type.Dimensions.Add(Count(child));
                }

                break;
            case CTypeKind.Enum:
                foreach (var child in die.Children)
                {
                    if (child.Tag == DwTag.DW_TAG_enumerator && child.TryGet(DwAt.DW_AT_const_value, out var value))
                        type.Enumerators.Add((child.Name ?? "?", value.Form == DwForm.DW_FORM_sdata ? value.SignedValue : (long)value.Value));
                }

                break;
            case CTypeKind.Function:
                foreach (var child in die.Children)
                {
                    if (child.Tag == DwTag.DW_TAG_formal_parameter)
                        type.Parameters.Add(TypeOf(child));
                    else if (child.Tag == DwTag.DW_TAG_unspecified_parameters)
                        type.IsVariadic = true;
                }

                break;
            default:
                break;
        }

        type.ByteSize = die.Constant(DwAt.DW_AT_byte_size) ?? type.Kind switch
        {
            CTypeKind.Pointer => (ulong)die.Unit.AddressSize,
            CTypeKind.Array => (type.Target?.ByteSize ?? 0) * type.Dimensions.Aggregate(1UL, (a, d) => a * d),
            CTypeKind.Typedef or CTypeKind.Qualified or CTypeKind.Enum => type.Target?.ByteSize ?? 0,
            _ => 0,
        };
        return type;
    }

    /// <summary>The complete type of that tag and name at the top level of any unit.</summary>
    private Die? Definition(DwTag tag, string name)
    {
        if (_definitions is null)
        {
            _definitions = [];
            foreach (var root in _tree.Roots())
            {
                foreach (var child in root.Children)
                {
                    if (child.Tag is DwTag.DW_TAG_structure_type or DwTag.DW_TAG_union_type or DwTag.DW_TAG_class_type or DwTag.DW_TAG_enumeration_type
                        && !child.Flag(DwAt.DW_AT_declaration) && child.Name is { } n)
                        _definitions.TryAdd((child.Tag, n), child);
                }
            }
        }

        return _definitions.GetValueOrDefault((tag, name));
    }

    private static CTypeKind KindOf(DwTag tag) => tag switch
    {
        DwTag.DW_TAG_base_type => CTypeKind.Base,
        DwTag.DW_TAG_pointer_type or DwTag.DW_TAG_reference_type or DwTag.DW_TAG_rvalue_reference_type => CTypeKind.Pointer,
        DwTag.DW_TAG_structure_type or DwTag.DW_TAG_class_type => CTypeKind.Struct,
        DwTag.DW_TAG_union_type => CTypeKind.Union,
        DwTag.DW_TAG_array_type => CTypeKind.Array,
        DwTag.DW_TAG_enumeration_type => CTypeKind.Enum,
        DwTag.DW_TAG_subroutine_type => CTypeKind.Function,
        DwTag.DW_TAG_typedef => CTypeKind.Typedef,
        DwTag.DW_TAG_const_type or DwTag.DW_TAG_volatile_type or DwTag.DW_TAG_restrict_type or DwTag.DW_TAG_atomic_type => CTypeKind.Qualified,
        _ => CTypeKind.Void,
    };

    private static ulong Count(Die subrange)
    {
        if (subrange.Constant(DwAt.DW_AT_count) is { } count)
            return count;
        if (subrange.TryGet(DwAt.DW_AT_upper_bound, out var upper) && upper.IsConstant)
        {
            var lower = subrange.Constant(DwAt.DW_AT_lower_bound) ?? 0;
            // -1 (as data1..8 or sdata) is how an unknown bound is written: a flexible array.
            var high = upper.Form == DwForm.DW_FORM_sdata ? upper.SignedValue : (long)upper.Value;
            var isAllOnes = upper.Form switch
            {
                DwForm.DW_FORM_data1 => upper.Value == 0xFF,
                DwForm.DW_FORM_data2 => upper.Value == 0xFFFF,
                DwForm.DW_FORM_data4 => upper.Value == 0xFFFFFFFF,
                _ => high == -1,
            };
            return isAllOnes || high < (long)lower ? 0 : (ulong)(high - (long)lower + 1);
        }

        return 0;
    }

    private void ReadMembers(Die die, CType type)
    {
        foreach (var child in die.Children)
        {
            if (child.Tag != DwTag.DW_TAG_member)
                continue;
            var memberType = TypeOf(child) ?? new CType { Kind = CTypeKind.Void };
            ulong offset = 0;
            if (child.TryGet(DwAt.DW_AT_data_member_location, out var location))
            {
                if (location.IsConstant)
                    offset = location.Value;
                else if (location.IsBlock && DwarfExpression.DecodeAll(location.Memory, die.Unit.Encoding) is [{ Op: DwOp.DW_OP_plus_uconst } op])
                    offset = op.Operand1;
            }

            int bitSize = (int)(child.Constant(DwAt.DW_AT_bit_size) ?? 0), bitOffset = 0;
            if (bitSize > 0)
            {
                if (child.Constant(DwAt.DW_AT_data_bit_offset) is { } dataBitOffset)
                {
                    offset = dataBitOffset / 8;
                    bitOffset = (int)(dataBitOffset % 8);
                }
                else if (child.Constant(DwAt.DW_AT_bit_offset) is { } bigEndianOffset)
                {
                    // DWARF 2/3: bits from the most significant bit of a storage unit of byte_size.
                    var storage = (long)(child.Constant(DwAt.DW_AT_byte_size) ?? memberType.ByteSize);
                    var fromLsb = (storage * 8) - (long)bigEndianOffset - bitSize + ((long)offset * 8);
                    offset = (ulong)(fromLsb / 8);
                    bitOffset = (int)(fromLsb % 8);
                }
            }

            type.Members.Add(new CMember(child.Name, memberType, offset, bitSize, bitOffset));
        }
    }
}
