namespace Dwarfsmith.Dwarf.Reading;

/// <summary>
/// Depth-first cursor over a unit's entries. <see cref="MoveNext"/> reads the next entry's code and
/// abbreviation only; attributes are decoded when enumerated (<see cref="Attributes"/>) or looked up
/// (<see cref="TryGetAttribute"/>), and skipped by size otherwise. Null entries (ends of sibling
/// lists) are reported with <see cref="IsNull"/>.
/// </summary>
public sealed class EntryCursor
{
    private readonly ReadOnlyMemory<byte> _section;
    private readonly UnitEncoding _encoding;
    private long _next;
    private long _attributesEnd = -1;
    private int _nextDepth;

    internal EntryCursor(Unit unit, long offset)
    {
        Unit = unit;
        _section = unit.Section.Data;
        _encoding = unit.Encoding;
        _next = offset;
        Offset = -1;
    }

    public Unit Unit { get; }

    /// <summary>Section offset of the current entry.</summary>
    public long Offset { get; private set; }

    /// <summary>Depth of the current entry: 0 for the root; a null entry has the depth of the siblings it ends.</summary>
    public int Depth { get; private set; }

    public bool IsNull { get; private set; }

    /// <summary>The current entry's abbreviation (null for a null entry).</summary>
    public Abbreviation? Abbreviation { get; private set; }

    public DwTag Tag => Abbreviation?.Tag ?? 0;

    public bool HasChildren => Abbreviation?.HasChildren ?? false;

    /// <summary>Section offset of the current entry's first attribute value.</summary>
    public long AttributesOffset { get; private set; }

    /// <summary>The current entry's attributes, decoded as they are enumerated.</summary>
    public AttributeEnumerable Attributes => new(this);

    /// <summary>Moves to the next entry in depth-first order; false at the end of the unit.</summary>
    public bool MoveNext()
    {
        if (Offset >= 0 && !IsNull)
            _next = AttributesEnd();
        if (_next >= Unit.EndOffset)
        {
            Offset = Unit.EndOffset;
            Abbreviation = null;
            IsNull = true;
            return false;
        }

        var r = new DwarfReader(_section.Span, Unit.Section.Name);
        r.Position = (int)_next;
        Offset = _next;
        var code = r.ReadULeb128();
        if (r.Offset > Unit.EndOffset)
            throw r.ErrorAt(Offset, "entry runs past the end of the unit");
        Depth = _nextDepth;
        _attributesEnd = -1;
        AttributesOffset = r.Offset;
        if (code == 0)
        {
            IsNull = true;
            Abbreviation = null;
            _next = r.Offset;
            if (_nextDepth > 0)
                _nextDepth--;
            return true;
        }

        if (!Unit.Abbreviations.TryGet(code, out var abbreviation))
            throw r.ErrorAt(Offset, $"abbreviation code {code} is not in the table at 0x{Unit.AbbreviationOffset:X}");
        IsNull = false;
        Abbreviation = abbreviation;
        if (abbreviation.HasChildren)
            _nextDepth++;
        var size = abbreviation.FixedSize(_encoding);
        if (size >= 0)
            _attributesEnd = AttributesOffset + size;
        return true;
    }

    /// <summary>
    /// Moves past the current entry's descendants, so that the next <see cref="MoveNext"/> reads its
    /// next sibling (or the null entry ending its siblings). Uses DW_AT_sibling when present.
    /// </summary>
    public void SkipChildren()
    {
        if (IsNull || !HasChildren)
            return;
        var depth = Depth;
        if (TryGetAttribute(DwAt.DW_AT_sibling, out var sibling) && Unit.TryResolveReference(sibling, out var target)
            && target > Offset && target <= Unit.EndOffset && Forms.IsUnitReference(sibling.Form))
        {
            _next = target;
            Offset = -1;
            IsNull = true;
            _nextDepth = depth;
            return;
        }

        while (MoveNext())
        {
            if (IsNull && Depth == depth + 1)
            {
                Offset = -1;
                return;
            }
        }
    }

    /// <summary>Finds an attribute of the current entry by name.</summary>
    public bool TryGetAttribute(DwAt name, out AttributeValue value)
    {
        foreach (var a in Attributes)
        {
            if (a.Name == name)
            {
                value = a;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The current entry's [low_pc, high_pc) when it has both (high_pc as an offset when it is a constant).</summary>
    public bool TryGetPcRange(out ulong lowPc, out ulong highPc)
    {
        lowPc = highPc = 0;
        AttributeValue low = default, high = default;
        var found = 0;
        foreach (var a in Attributes)
        {
            if (a.Name == DwAt.DW_AT_low_pc)
            {
                low = a;
                found |= 1;
            }
            else if (a.Name == DwAt.DW_AT_high_pc)
            {
                high = a;
                found |= 2;
            }
        }

        if (found != 3 || !low.IsAddress)
            return false;
        lowPc = Unit.ResolveAddress(low);
        highPc = high.IsAddress ? Unit.ResolveAddress(high) : high.IsConstant ? lowPc + high.Value : 0;
        return high.IsAddress || high.IsConstant;
    }

    public override string ToString() => IsNull ? $"0x{Offset:X8}: NULL" : $"0x{Offset:X8}: {Tag}";

    internal long AttributesEnd()
    {
        if (_attributesEnd >= 0)
            return _attributesEnd;
        var r = new DwarfReader(_section.Span[..(int)Unit.EndOffset], Unit.Section.Name);
        r.Position = (int)AttributesOffset;
        foreach (var spec in Abbreviation!.Specs)
            Forms.Skip(ref r, spec.Form, _encoding);
        _attributesEnd = r.Offset;
        return _attributesEnd;
    }

    internal AttributeValue ReadAttribute(ref long position, in AttributeSpec spec)
    {
        var r = new DwarfReader(_section.Span[..(int)Unit.EndOffset], Unit.Section.Name);
        r.Position = (int)position;
        var value = Forms.Read(ref r, _section, spec.Name, spec.Form, spec.ImplicitConst, _encoding);
        position = r.Offset;
        return value;
    }

    internal void NoteAttributesEnd(long end) => _attributesEnd = end;

    /// <summary>Enumerates the current entry's attributes without allocating.</summary>
    public readonly struct AttributeEnumerable
    {
        private readonly EntryCursor _cursor;

        internal AttributeEnumerable(EntryCursor cursor) => _cursor = cursor;

        public AttributeEnumerator GetEnumerator() => new(_cursor);
    }

    public struct AttributeEnumerator
    {
        private readonly EntryCursor _cursor;
        private readonly AttributeSpec[] _specs;
        private long _position;
        private int _index;

        internal AttributeEnumerator(EntryCursor cursor)
        {
            _cursor = cursor;
            _specs = cursor.IsNull || cursor.Abbreviation is null ? [] : cursor.Abbreviation.Specs;
            _position = cursor.AttributesOffset;
            _index = -1;
            Current = default;
        }

        public AttributeValue Current { get; private set; }

        public bool MoveNext()
        {
            if (++_index >= _specs.Length)
            {
                if (_index == _specs.Length && _specs.Length > 0)
                    _cursor.NoteAttributesEnd(_position);
                return false;
            }

            Current = _cursor.ReadAttribute(ref _position, _specs[_index]);
            return true;
        }
    }
}
