using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Reading;

/// <summary>One attribute specification of an abbreviation: name, form and, for DW_FORM_implicit_const, the value.</summary>
public readonly record struct AttributeSpec(DwAt Name, DwForm Form, long ImplicitConst);

/// <summary>An abbreviation declaration of .debug_abbrev.</summary>
public sealed class Abbreviation
{
    internal Abbreviation(ulong code, DwTag tag, bool hasChildren, AttributeSpec[] attributes, long offset, FormSize size)
    {
        Code = code;
        Tag = tag;
        HasChildren = hasChildren;
        Attributes = attributes;
        Offset = offset;
        _size = size;
        Specs = attributes;
    }

    private readonly FormSize _size;

    public ulong Code { get; }

    public DwTag Tag { get; }

    public bool HasChildren { get; }

    public IReadOnlyList<AttributeSpec> Attributes { get; }

    /// <summary>Offset of the declaration in .debug_abbrev.</summary>
    public long Offset { get; }

    internal AttributeSpec[] Specs { get; }

    /// <summary>Total size of the attribute values when every form's size follows from the unit encoding; else -1.</summary>
    internal int FixedSize(in UnitEncoding encoding) => _size.For(encoding);

    public override string ToString() => $"[{Code}] {Tag} {(HasChildren ? "DW_CHILDREN_yes" : "DW_CHILDREN_no")}";
}

/// <summary>The abbreviation table starting at one offset of .debug_abbrev, parsed once.</summary>
public sealed class AbbreviationTable
{
    private readonly Abbreviation?[] _dense;
    private readonly Dictionary<ulong, Abbreviation>? _sparse;

    private AbbreviationTable(long offset, List<Abbreviation> abbreviations, long endOffset)
    {
        Offset = offset;
        EndOffset = endOffset;
        All = abbreviations;
        var max = 0UL;
        var sequential = true;
        foreach (var a in abbreviations)
            max = Math.Max(max, a.Code);
        if (max > 4096)
            sequential = false;
        _dense = sequential ? new Abbreviation?[max + 1] : [];
        if (!sequential)
            _sparse = new Dictionary<ulong, Abbreviation>();
        foreach (var a in abbreviations)
        {
            if (sequential)
                _dense[a.Code] ??= a;
            else
                _sparse!.TryAdd(a.Code, a);
        }
    }

    public long Offset { get; }

    /// <summary>Offset just past the table's terminating 0.</summary>
    public long EndOffset { get; }

    public IReadOnlyList<Abbreviation> All { get; }

    public bool TryGet(ulong code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Abbreviation? abbreviation)
    {
        if (_sparse is null)
        {
            abbreviation = code < (ulong)_dense.Length ? _dense[code] : null;
            return abbreviation is not null;
        }

        return _sparse.TryGetValue(code, out abbreviation);
    }

    /// <summary>Parses the table at <paramref name="offset"/>.</summary>
    public static AbbreviationTable Read(DwarfSection section, long offset)
    {
        var r = section.ReaderAt(offset);
        var list = new List<Abbreviation>();
        var specs = new ValueList<AttributeSpec>();
        while (true)
        {
            var declOffset = r.Offset;
            var code = r.ReadULeb128();
            if (code == 0)
                break;
            var tag = r.ReadULeb128();
            if (tag > ushort.MaxValue)
                throw r.ErrorAt(declOffset, $"tag 0x{tag:X} out of range");
            var children = r.ReadU8();
            if (children > 1)
                throw r.ErrorAt(r.Offset - 1, $"invalid DW_CHILDREN value 0x{children:X}");
            specs.Clear();
            var size = default(FormSize);
            while (true)
            {
                var specOffset = r.Offset;
                var name = r.ReadULeb128();
                var form = r.ReadULeb128();
                if (name == 0 && form == 0)
                    break;
                if (name > ushort.MaxValue || form > ushort.MaxValue)
                    throw r.ErrorAt(specOffset, $"attribute 0x{name:X} or form 0x{form:X} out of range");
                long implicitConst = 0;
                if ((DwForm)form == DwForm.DW_FORM_implicit_const)
                    implicitConst = r.ReadSLeb128();
                else if (!Forms.IsKnown((DwForm)form))
                    throw r.ErrorAt(specOffset, $"unknown form 0x{form:X}");
                specs.Add(new AttributeSpec((DwAt)name, (DwForm)form, implicitConst));
                size = size.Add((DwForm)form);
            }

            list.Add(new Abbreviation(code, (DwTag)tag, children == 1, specs.ToArray(), declOffset, size));
        }

        return new AbbreviationTable(offset, list, r.Offset);
    }
}
