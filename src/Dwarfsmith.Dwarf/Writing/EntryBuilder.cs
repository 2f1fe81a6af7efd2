using System.Diagnostics.CodeAnalysis;
using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Writing;

/// <summary>
/// A debugging information entry of the write model: tag, attributes in order, children. Created by
/// its unit (<see cref="UnitBuilder.Root"/>, <see cref="AddChild"/>, <see cref="UnitBuilder.NewEntry"/>)
/// and identified by a stable <see cref="EntryId"/> that references use.
/// </summary>
public sealed class EntryBuilder
{
    /// <summary>Shared by every entry without children, so that leaves (most entries) allocate no list.</summary>
    private static readonly List<EntryBuilder> s_noChildren = [];

    private List<EntryBuilder>? _children;

    internal EntryBuilder(UnitBuilder unit, EntryId id, DwTag tag, int attributeCapacity = 0)
    {
        Unit = unit;
        Id = id;
        Tag = tag;
        Attributes = new ValueList<Attribute>(attributeCapacity);
    }

    public UnitBuilder Unit { get; }

    public EntryId Id { get; }

    public DwTag Tag { get; set; }

    /// <summary>The parent, or null for the root and for entries not (yet) in the tree.</summary>
    public EntryBuilder? Parent { get; private set; }

    public ValueList<Attribute> Attributes { get; }

    public IReadOnlyList<EntryBuilder> Children => ChildList;

    /// <summary>The children without an interface (allocation-free enumeration for the emitter).</summary>
    internal List<EntryBuilder> ChildList => _children ?? s_noChildren;

    /// <summary>Appends an attribute (no check for an existing one of the same name).</summary>
    public EntryBuilder Add(DwAt name, AttributeValue value)
    {
        Attributes.Add(new Attribute(name, value));
        return this;
    }

    /// <summary>Replaces the attribute of that name, or appends it.</summary>
    public EntryBuilder Set(DwAt name, AttributeValue value)
    {
        for (int i = 0; i < Attributes.Count; i++)
        {
            if (Attributes[i].Name == name)
            {
                Attributes[i] = new Attribute(name, value);
                return this;
            }
        }

        return Add(name, value);
    }

    public bool Remove(DwAt name) => Attributes.RemoveAll(a => a.Name == name) > 0;

    public bool TryGet(DwAt name, [MaybeNullWhen(false)] out AttributeValue value)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Name == name)
            {
                value = attribute.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Creates a new entry of the same unit as the last child (with room for <paramref name="attributeCapacity"/> attributes).</summary>
    public EntryBuilder AddChild(DwTag tag, int attributeCapacity = 0)
    {
        var child = Unit.NewEntry(tag, attributeCapacity);
        AppendChild(child);
        return child;
    }

    /// <summary>Appends a detached entry of the same unit (see <see cref="UnitBuilder.NewEntry"/>) as the last child.</summary>
    public void AppendChild(EntryBuilder child)
    {
        if (child.Unit != Unit)
            throw new ArgumentException("a child must belong to the same unit", nameof(child));
        if (child.Parent is not null || child == Unit.Root)
            throw new ArgumentException("the entry is already in the tree", nameof(child));
        child.Parent = this;
        (_children ??= []).Add(child);
    }

    public bool RemoveChild(EntryBuilder child)
    {
        if (_children is null || !_children.Remove(child))
            return false;
        child.Parent = null;
        return true;
    }

    public override string ToString() => $"{Tag} ({Id})";
}
