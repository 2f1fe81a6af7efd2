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

    /// <summary>The children in order (a view: indexing walks the sibling chain).</summary>
    public IReadOnlyList<EntryBuilder> Children => new ChildView(this);

    /// <summary>The first child, or null. Children are chained through <see cref="NextSibling"/>: no list per parent.</summary>
    public EntryBuilder? FirstChild { get; private set; }

    /// <summary>The next child of the same parent, or null.</summary>
    public EntryBuilder? NextSibling { get; private set; }

    public int ChildCount { get; private set; }

    private EntryBuilder? LastChild { get; set; }

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
        if (LastChild is null)
            FirstChild = child;
        else
            LastChild.NextSibling = child;
        LastChild = child;
        ChildCount++;
    }

    public bool RemoveChild(EntryBuilder child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (child.Parent != this)
            return false;
        EntryBuilder? previous = null;
        for (var c = FirstChild; c != child; c = c!.NextSibling)
            previous = c;
        if (previous is null)
            FirstChild = child.NextSibling;
        else
            previous.NextSibling = child.NextSibling;
        if (LastChild == child)
            LastChild = previous;
        child.NextSibling = null;
        child.Parent = null;
        ChildCount--;
        return true;
    }

    public override string ToString() => $"{Tag} ({Id})";

    /// <summary>The children as a list: enumeration follows the chain, indexing walks it from the first child.</summary>
    private sealed class ChildView(EntryBuilder parent) : IReadOnlyList<EntryBuilder>
    {
        public int Count => parent.ChildCount;

        public EntryBuilder this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, parent.ChildCount);
                var child = parent.FirstChild!;
                for (int i = 0; i < index; i++)
                    child = child.NextSibling!;
                return child;
            }
        }

        public IEnumerator<EntryBuilder> GetEnumerator()
        {
            for (var child = parent.FirstChild; child is not null; child = child.NextSibling)
                yield return child;
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
