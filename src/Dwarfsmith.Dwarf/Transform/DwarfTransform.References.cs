using Dwarfsmith.Dwarf.Writing;

namespace Dwarfsmith.Dwarf.Transform;

public sealed partial class DwarfTransform
{
    /// <summary>From this many entries with references on, two threads resolve them: fewer cost less than a thread's start.</summary>
    internal const int DefaultConcurrentReferenceEntries = 4096;

    private int _concurrentReferenceEntries = DefaultConcurrentReferenceEntries;

    /// <summary>
    /// Points every pending reference at the output entry of its input target, once all entries
    /// exist. A reference to an entry that was left out is dropped with a warning (an attribute) or
    /// is an error (an expression operand, which cannot be dropped alone).
    /// </summary>
    private void ResolveReferences()
    {
        ResolveAttributeReferences();

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

    /// <summary>
    /// The attributes' pending references. Each entry's are its own, and the look-ups only read: with
    /// the worker's core free again, the later half of the entries is resolved on it (SQLite: 7 ms of
    /// one thread), its warnings following the first half's.
    /// </summary>
    private void ResolveAttributeReferences()
    {
        var entries = _entriesWithPendingReferences;
        if (_workerQueue is null || entries.Count < _concurrentReferenceEntries)
        {
            ResolveAttributeReferences(0, entries.Count, _warnings);
            return;
        }

        _entryByInputOffset.TryGetValue(0, out _); // builds the look-up index before two threads share it
        int half = entries.Count / 2;
        var laterWarnings = new List<string>();
        var later = new BackgroundQueue("dwarfsmith references");
        later.Enqueue(() => ResolveAttributeReferences(half, entries.Count, laterWarnings));
        try
        {
            ResolveAttributeReferences(0, half, _warnings);
        }
        finally
        {
            later.Finish();
        }

        _warnings.AddRange(laterWarnings);
    }

    private void ResolveAttributeReferences(int from, int to, List<string> warnings)
    {
        var entries = _entriesWithPendingReferences;
        for (int e = from; e < to; e++)
        {
            var entry = entries[e];
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
                    warnings.Add($"{entry}: {attributes[i].Name} referred to the entry at 0x{target:x}, which was left out; the attribute is dropped");
                    attributes.RemoveAt(i);
                }
            }
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
