using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

public sealed partial class DwarfTransform
{
    /// <summary>
    /// Points every pending reference at the output entry of its input target, once all entries
    /// exist. A reference to an entry that was left out is dropped with a warning (an attribute) or
    /// is an error (an expression operand, which cannot be dropped alone).
    /// </summary>
    private void ResolveReferences()
    {
        foreach (var entry in _entriesWithPendingReferences)
        {
            var attributes = entry.Attributes;
            for (int i = attributes.Count - 1; i >= 0; i--)
            {
                var value = attributes[i].Value;
                if (value.Kind != AttributeValueKind.Reference || value.EntryId.Unit != PendingUnit)
                    continue;
                long target = _pendingTargets[value.EntryId.Index];
                if (_entryByInputOffset.TryGetValue(target, out var id))
                {
                    attributes[i] = new Writing.Attribute(attributes[i].Name, Writing.AttributeValue.Reference(id, value.Form));
                }
                else
                {
                    Warn($"{entry}: {attributes[i].Name} referred to the entry at 0x{target:x}, which was left out; the attribute is dropped");
                    attributes.RemoveAt(i);
                }
            }
        }

        foreach (var references in _expressionReferences)
        {
            for (int i = 0; i < references.Count; i++)
            {
                var target = references[i].Target;
                if (target.Unit is not (PendingUnit or WorkerPendingUnit))
                    continue;
                long offset = PendingOffset(target);
                if (_entryByInputOffset.TryGetValue(offset, out var id))
                    references[i] = references[i] with { Target = id };
                else if (_entriesLeftOut == 0)
                    throw new DwarfFormatException($"an expression operand names 0x{offset:x}, which is not an entry", Reading.DwarfSections.Info, offset);
                else
                    throw new InvalidOperationException($"an expression operand names the entry at 0x{offset:x}, which the visitor left out");
            }
        }

        var parents = new HashSet<EntryBuilder>();
        foreach (var entry in _entriesWithSibling)
        {
            if (entry.Parent is { } parent)
                parents.Add(parent);
            else
                entry.Attributes.RemoveAll(IsSiblingPlaceholder);
        }

        foreach (var parent in parents)
            ResolveSiblings(parent);

        foreach (var (unit, inputOffset) in _typeEntries)
        {
            unit.TypeEntry = _entryByInputOffset.TryGetValue(inputOffset, out var id)
                ? id
                : throw new InvalidOperationException($"{unit}: its type entry (input 0x{inputOffset:x}) was left out");
        }
    }

    /// <summary>DW_AT_sibling names the next sibling in the output tree, or goes when there is none.</summary>
    private static void ResolveSiblings(EntryBuilder parent)
    {
        for (var child = parent.FirstChild; child is not null; child = child.NextSibling)
        {
            var attributes = child.Attributes;
            int at = attributes.FindIndex(IsSiblingPlaceholder);
            if (at < 0)
                continue;
            if (child.NextSibling is { } next)
                attributes[at] = new Writing.Attribute(DwAt.DW_AT_sibling, Writing.AttributeValue.Reference(next));
            else
                attributes.RemoveAt(at);
        }
    }

    private static bool IsSiblingPlaceholder(Writing.Attribute a) =>
        a.Name == DwAt.DW_AT_sibling && a.Value.Kind == AttributeValueKind.Reference && a.Value.EntryId.Unit == SiblingUnit;
}
